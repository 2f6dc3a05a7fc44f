package io.camber.cli.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.common.api.EntryInfo;
import io.camber.common.api.EntryType;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryViewTest {

    private static final long GIB = 1L << 30;

    @Test
    void listsDirectoriesFirstThenVolumesByNameWithBinarySizes() {
        List<EntryInfo> entries = List.of(
                volume("/demo/vol2", 20 * GIB),
                new EntryInfo(3, "/demo/sub", EntryType.DIRECTORY, "alice", 0, null, 0, 0, 0, 0),
                volume("/demo/vol1", 10 * GIB));

        List<String> lines = EntryView.listing(entries).lines().toList();

        assertThat(lines.get(0)).startsWith("NAME").contains("SIZE", "POOL", "OWNER", "EPOCH");
        assertThat(lines.get(1)).startsWith("sub/").contains("DIRECTORY").doesNotContain("pool1");
        assertThat(lines.get(2)).startsWith("vol1").contains("VOLUME", "10GiB", "pool1", "alice");
        assertThat(lines.get(3)).startsWith("vol2").contains("20GiB");
        assertThat(lines).hasSize(4);
    }

    @Test
    void saysSoWhenADirectoryIsEmpty() {
        assertThat(EntryView.listing(List.of())).isEqualTo("(empty)\n");
    }

    @Test
    void statShowsSizeInUnitsAndBytesWithChunkAndSegmentSizes() {
        String text = EntryView.stat(volume("/demo/vol1", 10 * GIB));

        assertThat(text).startsWith("/demo/vol1\n")
                .contains("size:", "10GiB (10737418240 bytes)")
                .contains("chunk size:", "16MiB")
                .contains("segment size:", "1GiB")
                .contains("epoch:", "7");
    }

    @Test
    void nameIsTheLastPathComponent() {
        assertThat(EntryView.name("/a/b/c")).isEqualTo("c");
        assertThat(EntryView.name("/")).isEqualTo("/");
    }

    private static EntryInfo volume(String path, long size) {
        return new EntryInfo(9, path, EntryType.VOLUME, "alice", size, "pool1", 16L << 20, GIB, 7,
                1_700_000_000_000L);
    }
}
