package io.camber.mds.raft;

import io.camber.server.codec.Json;
import io.camber.server.raft.RaftNodeConfig;
import io.camber.server.raft.RaftTls;
import io.camber.server.raft.ReplicatedNode;
import io.camber.server.rocks.RocksStore;
import io.camber.server.storage.DiskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The MDS replicas' guard against Raft amnesia, as chunk servers have theirs: each replica's data directory carries a
 * disk id, and the group records which disk each replica runs on. A replica that starts on an empty data directory
 * asks its peers first: if the group recorded a disk for it, its log is gone (wiped or replaced disk), and voting
 * without it could elect a leader that lacks committed changes, so it refuses to start until an operator takes it
 * out of the group (`camber cluster rejoin-mds`); it then joins as a new member and catches up.
 */
final class ReplicaDisks {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaDisks.class);
    static final String GROUP = "camber-mds";
    private static final String PREFIX = "replica-disk/";

    private ReplicaDisks() {
    }

    static void record(RocksStore.Batch batch, String replica, String diskId) {
        batch.put(Keys.META, key(replica), diskId.getBytes(StandardCharsets.UTF_8));
    }

    static void forget(RocksStore.Batch batch, String replica) {
        batch.delete(Keys.META, key(replica));
    }

    static String recorded(RocksStore store, String replica) {
        byte[] v = store.get(Keys.META, key(replica));
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    private static byte[] key(String replica) {
        return (PREFIX + replica).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * This replica's disk id, after checking that an empty data directory is not one the group knew (then it throws
     * and the MDS does not start). Peers that do not answer within patience cannot tell: the replica then starts,
     * as every replica of a new group does.
     */
    static String checkBeforeStart(RaftNodeConfig config, RaftTls tls, Duration patience) throws IOException {
        boolean hadLog = Files.isDirectory(config.dataDir().resolve("raft"));
        String disk = DiskId.of(config.dataDir());
        if (hadLog || config.peers().size() == 1) {
            return disk;
        }
        byte[] query = Json.write(new MdsQuery.ReplicaDisk(config.nodeId()));
        Set<String> others = new HashSet<>(config.peers().keySet());
        others.remove(config.nodeId());
        Set<String> answered = new HashSet<>();
        long deadline = System.nanoTime() + patience.toNanos();
        while (answered.size() < others.size() && System.nanoTime() < deadline) {
            for (String peer : others) {
                if (answered.contains(peer)) {
                    continue;
                }
                Optional<byte[]> reply = ReplicatedNode.readFromPeer(GROUP, config, tls, peer, query);
                if (reply.isEmpty()) {
                    continue;
                }
                answered.add(peer);
                String known = Reply.decode(reply.get(), String.class);
                if (known != null) {
                    throw new IllegalStateException("MDS replica " + config.nodeId() + " starts on an empty data"
                            + " directory (" + config.dataDir() + "), but the MDS group recorded disk " + known
                            + " for it (peer " + peer + " says so): its Raft log is gone (a wiped or replaced"
                            + " disk), and voting without it could lose committed changes. Run `camber cluster"
                            + " rejoin-mds " + config.nodeId() + "` against the running replicas, then start it"
                            + " again: it joins as a new member and catches up");
                }
            }
            if (answered.size() < others.size()) {
                sleep();
            }
        }
        LOG.info("event=mds-replica-fresh-start replica={} disk={} peers_answered={} of={}", config.nodeId(), disk,
                answered.size(), others.size());
        return disk;
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the MDS peers", e);
        }
    }
}
