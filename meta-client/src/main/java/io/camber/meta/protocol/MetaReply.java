package io.camber.meta.protocol;

import io.camber.meta.fs.FsError;

/** The answer to a command or query: OK with a result, or an error with a message saying what to do. */
public record MetaReply(FsError error, String message, MetaResult result) {

    public static MetaReply ok(MetaResult result) {
        return new MetaReply(FsError.OK, "", result);
    }

    public static MetaReply failed(FsError error, String message) {
        return new MetaReply(error, message, null);
    }

    public boolean isOk() {
        return error == FsError.OK;
    }
}
