package io.camber.client.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InFlightBudgetTest {

    @Test
    void aRequestThatDoesNotFitWaitsWithoutBlockingAndIsAdmittedInOrder() {
        InFlightBudget budget = new InFlightBudget(100);
        assertThat(budget.acquire(60)).isDone();
        CompletableFuture<Void> big = budget.acquire(50);
        CompletableFuture<Void> small = budget.acquire(10);
        assertThat(big).as("does not fit: a pending future, not a blocked thread").isNotDone();
        assertThat(small).as("fits, but arrived after a waiter: first come, first served").isNotDone();
        budget.release(60);
        assertThat(big).isDone();
        assertThat(small).isDone();
        assertThat(budget.available()).isEqualTo(40);
    }

    @Test
    void aRequestLargerThanTheWholeBudgetStillGoesAlone() {
        InFlightBudget budget = new InFlightBudget(100);
        CompletableFuture<Void> huge = budget.acquire(1000);
        assertThat(huge).isDone();
        assertThat(budget.acquire(1)).isNotDone();
        budget.release(1000);
        assertThat(budget.available()).isEqualTo(99);
    }
}
