package io.camber.meta.server;

import static io.camber.meta.partition.PartitionCommands.ROOT_INO;
import static org.assertj.core.api.Assertions.assertThat;

import io.camber.meta.client.CrossPartitionRename;
import io.camber.meta.client.PartitionClient;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.PartitionId;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaReply;
import io.camber.meta.protocol.MetaResult;
import io.camber.server.raft.RaftSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rename between two partitions, both replicated on the same three servers, when the client crashes between
 * the steps and a meta-service process restarts meanwhile: a resolver started later leaves exactly one name.
 */
class CrossPartitionRenameTest {
    static final PartitionId P0 = new PartitionId(9, 0);
    static final PartitionId P1 = new PartitionId(9, 1);
    static final long TTL = Duration.ofSeconds(10).toNanos();
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static PartitionCluster cluster;
    static long far;

    /** The client's clock; the resolver runs "later" by moving it past the ttl. */
    final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    final Map<Integer, PartitionClient> clients = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = new PartitionCluster(dir, 3, RaftSettings.defaults(), List.of(P0, P1));
        cluster.awaitLeader(P0, WAIT);
        cluster.awaitLeader(P1, WAIT);
        ok(cluster.client(P0), new MetaCommand.InitPartition(9, 0, 1, 1000, 0755, 0, 0, 1));
        ok(cluster.client(P1), new MetaCommand.InitPartition(9, 1, 1000, 2000, 0755, 0, 0, 1));
        Inode farDir = ((MetaResult.Attr) ok(cluster.client(P1), new MetaCommand.MakeInode(ROOT_INO,
                FileType.DIRECTORY.mode(0755), 0, 0, 0, null, 2))).inode();
        ok(cluster.client(P0), new MetaCommand.AddDentry(ROOT_INO, "far", farDir.ino(), FileType.DIRECTORY, 3));
        far = farDir.ino();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void clients() {
        clients.put(0, cluster.newClient(P0));
        clients.put(1, cluster.newClient(P1));
    }

    @AfterEach
    void closeClients() throws IOException {
        for (PartitionClient c : clients.values()) {
            c.close();
        }
    }

    private CrossPartitionRename renamer() {
        return new CrossPartitionRename(clients::get, clock::get, TTL);
    }

    /** A process that crashed and came back: new clients, and one server of both groups restarted. */
    private CrossPartitionRename afterCrash() throws Exception {
        closeClients();
        clients();
        int leader = cluster.awaitLeader(P0, WAIT);
        cluster.stop(leader);
        cluster.start(leader);
        cluster.awaitLeader(P0, WAIT);
        cluster.awaitLeader(P1, WAIT);
        clock.addAndGet(TTL + 1);
        return renamer();
    }

    @Test
    void aCompleteRenameMovesTheName() {
        long ino = create("whole");
        MetaReply reply = renamer().rename(0, ROOT_INO, "whole", 1, far, "whole2").join();
        assertThat(reply.error()).as(reply.message()).isEqualTo(FsError.OK);
        assertThat(names("whole", "whole2")).containsExactly(0L, ino);
        assertNothingPending();
    }

    @Test
    void aCrashBetweenPrepareAndCommitRollsBack() throws Exception {
        long ino = create("a");
        MetaReply prepared = renamer().prepare("tx-a", 0, ROOT_INO, "a", 1, far, "x").join();
        assertThat(prepared.error()).as(prepared.message()).isEqualTo(FsError.OK);
        // the client dies here

        CrossPartitionRename resolver = afterCrash();
        assertThat(resolver.resolve(1).join()).containsExactly("tx-a");
        assertThat(names("a", "x")).containsExactly(ino, 0L);
        assertNothingPending();
        MetaReply late = clients.get(0).submitAndWait(new MetaCommand.CommitRename("tx-a", clock.get()));
        assertThat(late.error()).as("the old client's commit after the abort").isEqualTo(FsError.EINVAL);
        assertThat(names("a", "x")).containsExactly(ino, 0L);
    }

    @Test
    void aCrashAfterThePrimaryCommittedRollsForward() throws Exception {
        long ino = create("b");
        CrossPartitionRename client = renamer();
        assertThat(client.prepare("tx-b", 0, ROOT_INO, "b", 1, far, "y").join().isOk()).isTrue();
        assertThat(clients.get(0).submitAndWait(new MetaCommand.CommitRename("tx-b", clock.get())).isOk()).isTrue();
        // the client dies after the commit point, before the target half
        assertThat(lookup(1, far, "y").error()).as("resolve before reading").isEqualTo(FsError.EAGAIN);

        CrossPartitionRename resolver = afterCrash();
        assertThat(resolver.resolve(1).join()).containsExactly("tx-b");
        assertThat(names("b", "y")).containsExactly(0L, ino);
        assertNothingPending();
    }

    @Test
    void aPrimaryPreparedAloneIsAbortedByItsOwnResolver() throws Exception {
        long ino = create("c");
        MetaReply source = clients.get(0).submitAndWait(new MetaCommand.PrepareRenameSource("tx-c", ROOT_INO, "c",
                far, "z", 1, clock.get()));
        assertThat(source.isOk()).isTrue();
        // the client dies before preparing the target

        CrossPartitionRename resolver = afterCrash();
        assertThat(resolver.resolve(0).join()).containsExactly("tx-c");
        assertThat(names("c", "z")).containsExactly(ino, 0L);
        assertNothingPending();
    }

    @Test
    void aYoungRenameIsLeftToItsClient() {
        long ino = create("d");
        CrossPartitionRename client = renamer();
        assertThat(client.prepare("tx-d", 0, ROOT_INO, "d", 1, far, "w").join().isOk()).isTrue();
        assertThat(renamer().resolve(1).join()).as("within the ttl").isEmpty();
        assertThat(client.commit(new CrossPartitionRename.Prepared("tx-d", 0, 1)).join().isOk()).isTrue();
        assertThat(names("d", "w")).containsExactly(0L, ino);
        assertNothingPending();
    }

    @Test
    void aTargetThatRefusesRollsTheSourceBack() {
        long ino = create("e");
        ok(clients.get(1), new MetaCommand.MakeNode(far, "dir", FileType.DIRECTORY.mode(0755), 0, 0, 0, null,
                clock.incrementAndGet()));
        MetaReply refused = renamer().rename(0, ROOT_INO, "e", 1, far, "dir").join();
        assertThat(refused.error()).isEqualTo(FsError.EISDIR);
        assertThat(names("e", "e")).containsExactly(ino, 0L);
        assertNothingPending();
        assertThat(clients.get(0).submitAndWait(new MetaCommand.Unlink(ROOT_INO, "e", clock.incrementAndGet()))
                .error()).as("the source name is unlocked").isEqualTo(FsError.OK);
    }

    @Test
    void renamingOntoAnotherNameOfTheSameInodeDoesNothing() {
        long ino = create("h");
        ok(clients.get(0), new MetaCommand.AdjustLinks(ino, 1, clock.incrementAndGet()));
        ok(clients.get(1), new MetaCommand.AddDentry(far, "h2", ino, FileType.REGULAR, clock.incrementAndGet()));
        MetaReply reply = renamer().rename(0, ROOT_INO, "h", 1, far, "h2").join();
        assertThat(reply.error()).as(reply.message()).isEqualTo(FsError.OK);
        assertThat(names("h", "h2")).containsExactly(ino, ino);
        assertNothingPending();
    }

    private long create(String name) {
        return ((MetaResult.Attr) ok(clients.get(0), new MetaCommand.MakeNode(ROOT_INO, name,
                FileType.REGULAR.mode(0644), 0, 0, 0, null, clock.incrementAndGet()))).inode().ino();
    }

    private MetaReply lookup(int partition, long parent, String name) {
        return clients.get(partition).queryAndWait(new MetaQuery.Lookup(parent, name));
    }

    /** The inode each name leads to (source in the root, target in far), 0 for none. */
    private List<Long> names(String source, String target) {
        return List.of(ino(lookup(0, ROOT_INO, source)), ino(lookup(1, far, target)));
    }

    private static long ino(MetaReply r) {
        if (r.error() == FsError.ENOENT) {
            return 0;
        }
        assertThat(r.error()).as(r.message()).isEqualTo(FsError.OK);
        return ((MetaResult.Found) r.result()).entry().ino();
    }

    private void assertNothingPending() {
        for (PartitionClient c : clients.values()) {
            MetaResult.Renames pending = (MetaResult.Renames) c.queryAndWait(new MetaQuery.PendingRenames(10))
                    .result();
            assertThat(pending.intents()).isEmpty();
        }
    }

    private static MetaResult ok(PartitionClient client, MetaCommand command) {
        MetaReply reply = client.submitAndWait(command);
        assertThat(reply.error()).as(reply.message()).isEqualTo(FsError.OK);
        return reply.result();
    }
}
