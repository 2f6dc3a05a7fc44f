package io.camber.meta.server;

import static io.camber.meta.partition.PartitionCommands.ROOT_INO;
import static org.assertj.core.api.Assertions.assertThat;

import io.camber.meta.client.PartitionClient;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.PartitionId;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaReply;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.SetAttrMask;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replicas of one partition on loopback: a mixed workload; a stopped follower that missed more than a
 * snapshot's worth of entries catches up by snapshot install; a stopped leader's replica resumes from its own disk
 * and catches up too; all replicas end with identical state, and the data is what the workload wrote.
 */
class PartitionReplicationTest {
    static final PartitionId PARTITION = new PartitionId(3, 0);
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static PartitionCluster cluster;
    static PartitionClient client;

    /** What the workload was told: directory → names in it, as it expects readdir to list them. */
    final Map<Long, TreeSet<String>> model = new TreeMap<>();
    final List<Long> dirs = new ArrayList<>();
    final List<long[]> files = new ArrayList<>(); // parent, ino
    long time = 1_700_000_000_000_000_000L;

    @BeforeAll
    static void start() throws Exception {
        cluster = new PartitionCluster(dir, 3, PartitionCluster.snapshotHappy(40), List.of(PARTITION));
        cluster.awaitLeader(PARTITION, WAIT);
        client = cluster.client(PARTITION);
        MetaReply init = client.submitAndWait(new MetaCommand.InitPartition(3, 0, 1, 1_000_000, 0755, 0, 0, 1));
        assertThat(init.error()).as(init.message()).isEqualTo(FsError.OK);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void replicasCatchUpAfterRestartsAndSnapshotsAndAgree() throws Exception {
        model.put(ROOT_INO, new TreeSet<>());
        dirs.add(ROOT_INO);
        workload(new Random(1), 120);
        cluster.awaitCaughtUp(PARTITION, WAIT);
        assertThat(PartitionCluster.distinct(cluster.digests(PARTITION))).isEqualTo(1);

        int leader = cluster.awaitLeader(PARTITION, WAIT);
        int follower = (leader + 1) % 3;
        cluster.stop(follower);
        // Several snapshots, and more than two 16 KB log segments (entries are ~100 bytes): the segments holding
        // what the stopped follower misses are closed and purged, so it can only catch up by snapshot install.
        workload(new Random(2), 400);
        cluster.start(follower);
        assertThat(cluster.hosted(follower)).as("resumed from its data directory").containsExactly(PARTITION);
        cluster.awaitCaughtUp(PARTITION, WAIT);
        assertThat(cluster.replica(follower, PARTITION).snapshotInstalls()).as("caught up by snapshot install")
                .isGreaterThanOrEqualTo(1);
        assertThat(PartitionCluster.distinct(cluster.digests(PARTITION))).isEqualTo(1);

        cluster.stop(leader);
        assertThat(cluster.awaitLeader(PARTITION, WAIT)).isNotEqualTo(leader);
        workload(new Random(3), 60);
        concurrentCreates(100);
        cluster.start(leader);
        cluster.awaitCaughtUp(PARTITION, WAIT);
        Map<String, String> digests = cluster.digests(PARTITION);
        assertThat(digests).hasSize(3);
        assertThat(PartitionCluster.distinct(digests)).as(digests.toString()).isEqualTo(1);
        verifyModel();
        assertThat(cluster.metrics.find("camber.meta.ops").tag("op", "MakeNode").tag("outcome", "OK").timers())
                .isNotEmpty();
    }

    /** A mix of creates, mkdirs, attribute and xattr changes, writes, links, renames and unlinks. */
    private void workload(Random random, int ops) {
        for (int i = 0; i < ops; i++) {
            int kind = random.nextInt(10);
            long parent = dirs.get(random.nextInt(dirs.size()));
            String name = "n" + random.nextInt(1_000_000);
            if (kind == 0) {
                Inode d = made(ok(new MetaCommand.MakeNode(parent, name, FileType.DIRECTORY.mode(0755), 0, 0, 0, null,
                        ++time)));
                dirs.add(d.ino());
                model.put(d.ino(), new TreeSet<>());
                model.get(parent).add(name);
            } else if (kind <= 3 || files.isEmpty()) {
                Inode f = made(ok(new MetaCommand.MakeNode(parent, name, FileType.REGULAR.mode(0644), 1, 1, 0, null,
                        ++time)));
                files.add(new long[] {parent, f.ino()});
                model.get(parent).add(name);
            } else {
                long[] file = files.get(random.nextInt(files.size()));
                change(random, kind, file, parent, name);
            }
        }
    }

    private void change(Random random, int kind, long[] file, long parent, String name) {
        long ino = file[1];
        if (kind == 4) {
            ok(new MetaCommand.SetAttr(ino, SetAttrMask.MODE | SetAttrMask.MTIME, random.nextInt(0777), 0, 0, 0,
                    random.nextLong() & Long.MAX_VALUE, 0, 0, ++time));
        } else if (kind == 5) {
            ok(new MetaCommand.SetXattr(ino, "user.k" + random.nextInt(3),
                    ("v" + random.nextInt()).getBytes(StandardCharsets.UTF_8), 0, ++time));
        } else if (kind == 6) {
            long off = random.nextInt(64) * 4096L;
            ok(new MetaCommand.AllocateExtents(ino, off, 1 + random.nextInt(3 * 4096), ++time));
            ok(new MetaCommand.AddExtents(ino, List.of(), off + 4096, ++time));
        } else if (kind == 7) {
            ok(new MetaCommand.Link(ino, parent, name, ++time));
            model.get(parent).add(name);
        } else {
            // rename or unlink one of the names of a directory that has any
            long from = dirs.get(random.nextInt(dirs.size()));
            TreeSet<String> names = model.get(from);
            String victim = names.isEmpty() ? null : names.first();
            if (victim == null || isDir(from, victim)) {
                return;
            }
            if (kind == 8) {
                ok(new MetaCommand.Rename(from, victim, parent, name, ++time));
                names.remove(victim);
                model.get(parent).add(name);
            } else {
                Inode after = made(ok(new MetaCommand.Unlink(from, victim, ++time)));
                names.remove(victim);
                if (after.nlink() == 0) {
                    files.removeIf(f -> f[1] == after.ino()); // an orphan now: no more links or writes
                }
            }
        }
    }

    /** Creates in flight together, from several directories: the order Ratis commits them in is every replica's. */
    private void concurrentCreates(int count) {
        List<java.util.concurrent.CompletableFuture<MetaReply>> inFlight = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long parent = dirs.get(i % dirs.size());
            String name = "c" + i;
            inFlight.add(client.submit(new MetaCommand.MakeNode(parent, name, FileType.REGULAR.mode(0600), 0, 0, 0,
                    null, ++time)));
            model.get(parent).add(name);
        }
        java.util.Set<Long> inos = new java.util.HashSet<>();
        for (java.util.concurrent.CompletableFuture<MetaReply> f : inFlight) {
            MetaReply r = f.join();
            assertThat(r.error()).as(r.message()).isEqualTo(FsError.OK);
            inos.add(((MetaResult.Attr) r.result()).inode().ino());
        }
        assertThat(inos).as("each create got its own inode id").hasSize(count);
    }

    private boolean isDir(long parent, String name) {
        MetaReply r = client.queryAndWait(new MetaQuery.Lookup(parent, name));
        return ((MetaResult.Found) r.result()).entry().type() == FileType.DIRECTORY;
    }

    private static Inode made(MetaResult r) {
        return ((MetaResult.Attr) r).inode();
    }

    private static MetaResult ok(MetaCommand command) {
        MetaReply reply = client.submitAndWait(command);
        assertThat(reply.error()).as(command + ": " + reply.message()).isEqualTo(FsError.OK);
        return reply.result();
    }

    private void verifyModel() {
        for (Map.Entry<Long, TreeSet<String>> e : model.entrySet()) {
            List<String> listed = new ArrayList<>();
            String after = "";
            while (true) {
                MetaReply r = client.queryAndWait(new MetaQuery.ReadDir(e.getKey(), after, 100));
                assertThat(r.error()).as(r.message()).isEqualTo(FsError.OK);
                MetaResult.Listing page = (MetaResult.Listing) r.result();
                page.entries().forEach(entry -> listed.add(entry.name()));
                if (!page.more()) {
                    break;
                }
                after = listed.get(listed.size() - 1);
            }
            assertThat(listed).as("directory " + e.getKey()).containsExactlyElementsOf(e.getValue());
        }
    }
}
