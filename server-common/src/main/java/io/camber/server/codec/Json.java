package io.camber.server.codec;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON codec for replicated commands, replies and stored records (Jackson 3, built once). */
public final class Json {
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
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
