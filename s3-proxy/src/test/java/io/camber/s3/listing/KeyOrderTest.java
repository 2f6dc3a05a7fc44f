package io.camber.s3.listing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyOrderTest {

    @Test
    void ordersAsUtf8BytesDo() {
        // U+FF21 (fullwidth A) sorts before U+1F600 in UTF-8, but after its surrogates in UTF-16
        List<String> keys = new ArrayList<>(List.of("\uD83D\uDE00", "\uFF21", "a/x", "a-b", "a", "", "B"));
        keys.sort(KeyOrder.UTF8);
        List<String> byBytes = new ArrayList<>(keys);
        byBytes.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8),
                y.getBytes(StandardCharsets.UTF_8)));
        assertThat(keys).isEqualTo(byBytes).containsExactly("", "B", "a", "a-b", "a/x", "\uFF21", "\uD83D\uDE00");
    }
}
