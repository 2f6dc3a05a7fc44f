package io.camber.server.codec;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON codec for replicated commands, replies and stored records (Jackson 3, built once). */
public final class Json {
    /**
     * Tolerant in both directions, because the Raft logs and the stores keep records written by older versions:
     * unknown properties are ignored, and a number a record gained later (say a chunk server's data port) reads as
     * 0 from records written before it existed, instead of failing the replay (Jackson 3 fails by default).
     */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Json() {
    }

    public static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    public static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (JacksonException e) {
            // Stored or replicated bytes we cannot decode mean a version skew or corruption, never bad user input.
            throw new CamberException(ErrorCode.INTERNAL, "cannot decode " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        return MAPPER.treeToValue(node, type);
    }
}
