package io.camber.mds.raft;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.server.codec.Json;
import tools.jackson.databind.JsonNode;

/** The answer of the state machine to a command or query: a value or an error with its code. */
public record Reply(JsonNode value, String code, String detail) {

    public static byte[] ok(Object value) {
        return Json.write(new Reply(Json.MAPPER.valueToTree(value), null, null));
    }

    public static byte[] error(CamberException e) {
        return Json.write(new Reply(null, e.code().name(), e.getMessage()));
    }

    /** Decodes reply bytes into the expected type, rethrowing a replicated error as the same exception. */
    public static <T> T decode(byte[] bytes, Class<T> type) {
        Reply reply = Json.read(bytes, Reply.class);
        if (reply.code() != null) {
            throw new CamberException(ErrorCode.valueOf(reply.code()), reply.detail());
        }
        if (reply.value() == null || reply.value().isNull()) {
            return null;
        }
        return Json.convert(reply.value(), type);
    }
}
