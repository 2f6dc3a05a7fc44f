package io.camber.client.block;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OncePerKeyTest {
    private final OncePerKey<Integer, String> once = new OncePerKey<>();
    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void concurrentCallersShareOneCallAndTheAnswerIsKept() {
        CompletableFuture<String> pending = new CompletableFuture<>();
        CompletableFuture<String> first = once.get(1, () -> {
            calls.incrementAndGet();
            return pending;
        });
        CompletableFuture<String> second = once.get(1, () -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture("other");
        });
        pending.complete("a");

        assertThat(first.join()).isEqualTo("a");
        assertThat(second.join()).isEqualTo("a");
        assertThat(once.get(1, () -> CompletableFuture.completedFuture("late")).join()).isEqualTo("a");
        assertThat(calls).hasValue(1);
    }

    @Test
    void aFailedCallIsForgottenSoTheNextCallerTriesAgain() {
        CompletableFuture<String> failed = once.get(2, () -> CompletableFuture.failedFuture(new IllegalStateException("down")));
        assertThatThrownBy(failed::join).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(once.peek(2)).isNull();

        CompletableFuture<String> thrown = once.get(2, () -> {
            throw new IllegalArgumentException("at once");
        });
        assertThatThrownBy(thrown::join).hasCauseInstanceOf(IllegalArgumentException.class);

        assertThat(once.get(2, () -> CompletableFuture.completedFuture("b")).join()).isEqualTo("b");
    }

    @Test
    void anAnswerLearntElsewhereIsKeptUnlessOneIsThere() {
        once.keep(3, "learnt");
        once.keep(3, "ignored");
        assertThat(once.peek(3).join()).isEqualTo("learnt");
    }
}
