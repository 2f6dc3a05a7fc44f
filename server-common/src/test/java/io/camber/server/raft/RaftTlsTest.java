package io.camber.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.tls.DevCertificates;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raft over mutual TLS: two members whose certificates chain to one CA replicate (a majority of two needs both);
 * a client without a certificate, or with one from another CA, is turned away.
 */
class RaftTlsTest {

    @Test
    void membersWithCertificatesOfTheCaReplicateAndOthersAreTurnedAway(@TempDir Path dir) throws Exception {
        DevCertificates ca = new DevCertificates(dir.resolve("ca"));
        Map<String, String> peers = new LinkedHashMap<>();
        peers.put("n1", "127.0.0.1:" + freePort());
        peers.put("n2", "127.0.0.1:" + freePort());
        RaftSettings raft = RaftSettings.defaults();
        try (ReplicatedNode n1 = node("n1", peers, dir, raft, ca); ReplicatedNode n2 = node("n2", peers, dir, raft, ca)) {
            n1.submit("a=1".getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS);
            assertThat(new String(n2.query("a".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS),
                    StandardCharsets.UTF_8)).isEqualTo("1");

            RaftGroup group = RaftGroup.valueOf(RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
                    "tls-test".getBytes(StandardCharsets.UTF_8))), peers.entrySet().stream()
                    .map(e -> RaftPeer.newBuilder().setId(e.getKey()).setAddress(e.getValue()).build()).toList());
            try (RaftClient plain = client(group, raft, RaftTls.NONE)) {
                assertThatThrownBy(() -> plain.io().send(Message.valueOf("b=2"))).as("no TLS at all");
            }
            DevCertificates other = new DevCertificates(dir.resolve("other-ca"));
            DevCertificates.Member stranger = other.member("stranger");
            try (RaftClient foreign = client(group, raft, new RaftTls(stranger.certFile(), stranger.keyFile(),
                    ca.caCertificate()))) {
                assertThatThrownBy(() -> foreign.io().send(Message.valueOf("b=2"))).as("a certificate of another CA");
            }
            assertThat(new String(n1.query("b".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS),
                    StandardCharsets.UTF_8)).as("nothing got in").isEmpty();
        }
    }

    private static ReplicatedNode node(String id, Map<String, String> peers, Path dir, RaftSettings raft,
                                       DevCertificates ca) throws Exception {
        DevCertificates.Member m = ca.member(id);
        RaftNodeConfig config = new RaftNodeConfig(id, peers, dir.resolve(id), raft);
        return new ReplicatedNode("tls-test", config, new RocksStateMachineSwapTest.KvMachine(dir.resolve(id)),
                new RaftTls(m.certFile(), m.keyFile(), m.trustFile()));
    }

    private static RaftClient client(RaftGroup group, RaftSettings raft, RaftTls tls) {
        RaftClient.Builder b = RaftClient.newBuilder().setRaftGroup(group)
                .setProperties(RatisProperties.client(raft, Duration.ofSeconds(2)))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(3,
                        TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)));
        if (tls.enabled()) {
            b.setParameters(tls.parameters());
        }
        return b.build();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
