package io.camber.server.rocks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scan stays inside its prefix, and a scan from a key starts there: how listings are paged. */
class RocksStoreScanTest {

    @Test
    void scanFromAKeyPagesThroughOnePrefixOnly(@TempDir Path dir) {
        try (RocksStore store = new RocksStore(dir, List.of("kv"), 8 << 20)) {
            RocksStore.Batch batch = store.batch();
            for (String key : List.of("a/1", "a/2", "a/3", "a/4", "b/1", "0")) {
                batch.put("kv", bytes(key), bytes("v"));
            }
            store.commit(batch, 1, 1);

            assertThat(keys(store, "a/", "a/", 10)).containsExactly("a/1", "a/2", "a/3", "a/4");
            assertThat(keys(store, "a/", "a/2", 2)).containsExactly("a/2", "a/3");
            assertThat(keys(store, "a/", "a/4\0", 10)).isEmpty();
            assertThat(keys(store, "b/", "b/", 10)).containsExactly("b/1");
        }
    }

    private static List<String> keys(RocksStore store, String prefix, String from, int limit) {
        List<String> out = new ArrayList<>();
        store.scan("kv", bytes(prefix), bytes(from), limit, (k, v) -> out.add(new String(k, StandardCharsets.UTF_8)));
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
