package io.camber.client.fs;

import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Reading errno out of the failures futures carry, which wrap the {@link FsException} in CompletionException. */
final class FsErrors {
    private FsErrors() {
    }

    /** The failure without its CompletionException wrapping. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Whether the failure is an FsException with this errno. */
    static boolean is(Throwable e, FsError error) {
        return unwrap(e) instanceof FsException f && f.error() == error;
    }

    /** The failure, unchecked, for rethrowing from a stage. */
    static RuntimeException rethrow(Throwable e) {
        Throwable t = unwrap(e);
        return t instanceof RuntimeException r ? r : new CompletionException(t);
    }

    /** Runs a step that may throw while checking its input, as a future: the caller gets the refusal as a failure. */
    static <T> CompletableFuture<T> guarded(Supplier<CompletableFuture<T>> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
