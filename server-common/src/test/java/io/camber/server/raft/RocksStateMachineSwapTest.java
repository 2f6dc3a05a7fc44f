package io.camber.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.server.rocks.RocksStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.ratis.util.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot install interrupted at any step leaves a replica that reopens on the installed state. */
class RocksStateMachineSwapTest {
    private static final List<String> FAMILIES = List.of("kv");

    /** Stores each command as key=value; answers a query with the value of the key. */
    static final class KvMachine extends RocksStateMachine {
        KvMachine(Path dir) {
            super(dir, FAMILIES, 8 << 20);
        }

        @Override
        protected byte[] apply(byte[] command, RocksStore store, RocksStore.Batch batch, long index) {
            String[] kv = new String(command, StandardCharsets.UTF_8).split("=");
            batch.put("kv", kv[0].getBytes(StandardCharsets.UTF_8), kv[1].getBytes(StandardCharsets.UTF_8));
            return new byte[0];
        }

        @Override
        protected byte[] query(byte[] query, RocksStore store) {
            byte[] v = store.get("kv", query);
            return v == null ? new byte[0] : v;
        }

        @Override
        protected byte[] failureReply(RuntimeException e) {
            return new byte[0];
        }

        @Override
        protected void loaded(RocksStore store) {
        }
    }

    private static void put(RocksStore store, String key, String value, long index) {
        RocksStore.Batch b = store.batch();
        b.put("kv", key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        store.commit(b, 1, index);
    }

    private static String get(KvMachine m, String key) {
        return new String(m.query(key.getBytes(StandardCharsets.UTF_8), m.store()), StandardCharsets.UTF_8);
    }

    /** A leader's state at index 10 with a=new, as a checkpoint snapshot in the follower's snapshot folder. */
    private static void installLeaderSnapshot(Path follower, Path scratch) throws Exception {
        try (RocksStore leader = new RocksStore(scratch.resolve("leader-db"), FAMILIES, 8 << 20)) {
            put(leader, "a", "new", 10);
            new CheckpointSnapshots(scratch.resolve("leader")).take(leader, 1, 10);
        }
        Path snapshot = follower.resolve("snapshot");
        FileUtils.deleteFully(snapshot);
        Files.createDirectories(follower);
        Files.move(scratch.resolve("leader").resolve("snapshot"), snapshot);
    }

    private static void oldDatabase(Path follower) {
        try (RocksStore old = new RocksStore(follower.resolve("db"), FAMILIES, 8 << 20)) {
            put(old, "a", "old", 3);
        }
    }

    @Test
    void aCrashBeforeTheSwapReopensOnTheInstalledSnapshot(@TempDir Path dir) throws Exception {
        Path follower = dir.resolve("f");
        oldDatabase(follower);
        installLeaderSnapshot(follower, dir);
        // Ratis had swapped in the snapshot folder; the process died before the database was replaced.
        KvMachine m = new KvMachine(follower);
        m.open();
        assertThat(m.getLastAppliedTermIndex().getIndex()).isEqualTo(10);
        assertThat(get(m, "a")).isEqualTo("new");
        m.close();
    }

    @Test
    void aCrashBetweenTheTwoRenamesReopensOnTheInstalledSnapshot(@TempDir Path dir) throws Exception {
        Path follower = dir.resolve("f");
        oldDatabase(follower);
        installLeaderSnapshot(follower, dir);
        // The old database was moved aside and the new one not yet moved in: no db folder at all.
        Files.move(follower.resolve("db"), follower.resolve("db-old"));
        Files.createDirectories(follower.resolve("db-incoming"));
        KvMachine m = new KvMachine(follower);
        m.open();
        assertThat(get(m, "a")).isEqualTo("new");
        assertThat(follower.resolve("db-old")).doesNotExist();
        assertThat(follower.resolve("db-incoming")).doesNotExist();
        m.close();
    }

    @Test
    void aDatabaseNewerThanItsSnapshotIsKept(@TempDir Path dir) throws Exception {
        Path follower = dir.resolve("f");
        installLeaderSnapshot(follower, dir);
        try (RocksStore db = new RocksStore(follower.resolve("db"), FAMILIES, 8 << 20)) {
            put(db, "a", "newer", 12);
        }
        KvMachine m = new KvMachine(follower);
        m.open();
        assertThat(m.getLastAppliedTermIndex().getIndex()).isEqualTo(12);
        assertThat(get(m, "a")).isEqualTo("newer");
        m.close();
    }
}
