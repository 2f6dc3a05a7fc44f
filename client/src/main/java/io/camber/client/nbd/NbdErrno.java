package io.camber.client.nbd;

import io.camber.common.CamberException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Maps device failures to the NBD error values a client understands; the one place this mapping lives. */
final class NbdErrno {
    private NbdErrno() {
    }

    /**
     * The NBD error for a failed device operation.
     *
     * <ul>
     *   <li>{@code FENCED} → {@code EPERM}: a newer writer owns the volume, so retrying cannot succeed; EPERM is
     *       what the spec prescribes for writes to a read-only export, which a fenced device now is.</li>
     *   <li>{@code INVALID_ARGUMENT} → {@code EINVAL}.</li>
     *   <li>{@code NO_SPACE} → {@code ENOSPC}: a chunk server's disk is full; file systems and fio report "No space
     *       left on device" instead of a generic IO error, and writes succeed again once space is freed.</li>
     *   <li>anything else (unavailable, no leader, internal, IO) → {@code EIO}, which clients retry or surface.</li>
     * </ul>
     */
    static int of(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof CamberException ce) {
            return switch (ce.code()) {
                case FENCED -> NbdProtocol.EPERM;
                case INVALID_ARGUMENT -> NbdProtocol.EINVAL;
                case NO_SPACE -> NbdProtocol.ENOSPC;
                default -> NbdProtocol.EIO;
            };
        }
        return NbdProtocol.EIO;
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
