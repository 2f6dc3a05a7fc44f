package io.camber.chunk.copyset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopysetSnapshotsTest {

    @Test
    void eachSnapshotHasItsOwnMetaFileAndTheNewestIsTheOneListed(@TempDir Path dir) throws Exception {
        CopysetSnapshots snapshots = new CopysetSnapshots(dir.resolve("1-1"));
        snapshots.init(null);
        Files.createDirectories(dir.resolve("1-1").resolve("chunks"));
        Files.writeString(dir.resolve("1-1").resolve("chunks").resolve("7"), "x");
        for (long index = 100; index <= 500; index += 100) {
            snapshots.writeMeta(new CopysetSnapshots.Meta(TermIndex.valueOf(2, index), Map.of(9L, index)));
        }
        assertThat(snapshots.getLatestSnapshot().getTermIndex()).as("known without reading the folder")
                .isEqualTo(TermIndex.valueOf(2, 500));
        assertThat(snapshots.readMeta().termIndex()).isEqualTo(TermIndex.valueOf(2, 500));
        assertThat(snapshots.readMeta().epochs()).containsEntry(9L, 500L);
        try (var files = Files.list(dir.resolve("1-1"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("copyset.meta")))
                    .as("older meta files are dropped, three kept for transfers in progress")
                    .containsExactlyInAnyOrder("copyset.meta.300", "copyset.meta.400", "copyset.meta.500");
        }
        SnapshotInfo latest = snapshots.getLatestSnapshot();
        assertThat(latest.getTermIndex()).isEqualTo(TermIndex.valueOf(2, 500));
        assertThat(latest.getFiles()).extracting(FileInfo::getPath).extracting(p -> p.getFileName().toString())
                .containsExactly("copyset.meta.500", "7");
    }

    @Test
    void aReplicaWrittenWithTheSingleMetaFileStillLoads(@TempDir Path dir) throws Exception {
        Path copyset = dir.resolve("1-2");
        Files.createDirectories(copyset);
        Files.writeString(copyset.resolve("copyset.meta"), "3 42\n5 6\n");
        CopysetSnapshots snapshots = new CopysetSnapshots(copyset);
        assertThat(snapshots.readMeta().termIndex()).isEqualTo(TermIndex.valueOf(3, 42));
        assertThat(snapshots.readMeta().epochs()).containsEntry(5L, 6L);
    }
}
