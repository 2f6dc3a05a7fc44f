package io.camber.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client whose request ran out of retries while its group had no leader reaches the group again once it has one.
 * A plain Ratis async client would answer "SlidingWindow$Client ... is closed" to every later request.
 */
class RenewingRaftClientTest {

    @Test
    void aClientThatRanOutOfRetriesReachesTheGroupOnceItHasALeader(@TempDir Path dir) throws Exception {
        Map<String, String> peers = new LinkedHashMap<>();
        peers.put("n1", "127.0.0.1:" + freePort());
        peers.put("n2", "127.0.0.1:" + freePort());
        RaftSettings raft = RaftSettings.defaults();
        RaftGroup group = RaftGroup.valueOf(RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
                "renew-test".getBytes(StandardCharsets.UTF_8))), peers.entrySet().stream()
                .map(e -> RaftPeer.newBuilder().setId(e.getKey()).setAddress(e.getValue()).build()).toList());
        try (ReplicatedNode n1 = node("n1", peers, dir, raft);
             RenewingRaftClient client = new RenewingRaftClient(() -> RaftClient.newBuilder().setRaftGroup(group)
                     .setProperties(RatisProperties.client(raft, Duration.ofSeconds(1)))
                     .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(3,
                             TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                     .build())) {
            assertThatThrownBy(() -> client.send(Message.valueOf("a=1")).get(60, TimeUnit.SECONDS))
                    .as("one member of two has no majority").hasCauseInstanceOf(RaftRetryFailureException.class);

            try (ReplicatedNode n2 = node("n2", peers, dir, raft)) {
                RaftClientReply reply = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (reply == null && System.nanoTime() < deadline) {
                    try {
                        reply = client.send(Message.valueOf("b=2")).get(30, TimeUnit.SECONDS);
                    } catch (Exception electionNotOverYet) {
                        assertThat(electionNotOverYet).hasCauseInstanceOf(RaftRetryFailureException.class);
                    }
                }
                assertThat(reply).as("replicated once the group has a leader").isNotNull();
                assertThat(reply.isSuccess()).isTrue();
                assertThat(new String(n2.query("b".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS),
                        StandardCharsets.UTF_8)).isEqualTo("2");
            }
        }
    }

    /**
     * Closing fails the requests still on their way, and their callbacks come back into the client on Ratis's
     * threads while close waits for them: close must not hold what they need (an MDS shutdown hung on it for good).
     */
    @Test
    void closeWithRequestsStillUnansweredReturns() throws Exception {
        // a member that takes connections and never answers: every request stays on its way until the close
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            RaftSettings raft = RaftSettings.defaults();
            RaftGroup group = RaftGroup.valueOf(RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
                    "close-test".getBytes(StandardCharsets.UTF_8))), List.of(RaftPeer.newBuilder().setId("n1")
                    .setAddress("127.0.0.1:" + silent.getLocalPort()).build()));
            RenewingRaftClient client = new RenewingRaftClient(() -> RaftClient.newBuilder().setRaftGroup(group)
                    .setProperties(RatisProperties.client(raft, Duration.ofSeconds(60)))
                    .setRetryPolicy(RetryPolicies.retryForeverWithSleep(TimeDuration.valueOf(50, TimeUnit.MILLISECONDS)))
                    .build());
            List<CompletableFuture<RaftClientReply>> pending = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                pending.add(client.send(Message.valueOf("k" + i + "=" + i)));
            }
            Thread.sleep(1000);
            CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
                try {
                    client.close();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            closed.get(30, TimeUnit.SECONDS);
            for (CompletableFuture<RaftClientReply> p : pending) {
                assertThatThrownBy(() -> p.get(30, TimeUnit.SECONDS)).as("failed by the close")
                        .isInstanceOf(java.util.concurrent.ExecutionException.class);
            }
        }
    }

    private static ReplicatedNode node(String id, Map<String, String> peers, Path dir, RaftSettings raft)
            throws Exception {
        RaftNodeConfig config = new RaftNodeConfig(id, peers, dir.resolve(id), raft);
        return new ReplicatedNode("renew-test", config, new RocksStateMachineSwapTest.KvMachine(dir.resolve(id)));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
