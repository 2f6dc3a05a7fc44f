package io.camber.server.raft;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

import java.io.IOException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * One member of a replicated group: a Ratis server hosting the state machine, and a client that
 * carries commands and reads to whichever member leads, so any member can serve any request.
 */
public final class ReplicatedNode implements AutoCloseable {
    private final RaftNodeConfig config;
    private final RaftGroup group;
    private final GroupServer server;
    private final RenewingRaftClient client;
    private final RocksStateMachine stateMachine;

    /** Starts the member; a data directory that holds a log resumes from it. */
    public ReplicatedNode(String groupName, RaftNodeConfig config, RocksStateMachine stateMachine) throws IOException {
        this(groupName, config, stateMachine, RaftTls.NONE);
    }

    /** As above; with tls enabled, the member's server and its client speak mutual TLS. */
    public ReplicatedNode(String groupName, RaftNodeConfig config, RocksStateMachine stateMachine, RaftTls tls)
            throws IOException {
        this.config = config;
        this.stateMachine = stateMachine;
        RaftGroupId groupId = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(groupName.getBytes(StandardCharsets.UTF_8)));
        List<RaftPeer> peers = config.peers().entrySet().stream()
                .map(e -> RaftPeer.newBuilder().setId(e.getKey()).setAddress(e.getValue()).build())
                .toList();
        this.group = RaftGroup.valueOf(groupId, peers);
        int colon = config.address().lastIndexOf(':');
        int port = Integer.parseInt(config.address().substring(colon + 1));
        // Listens only on the address its peers know it by (127.0.0.1 in the playground), not on every interface.
        RaftProperties props = RatisProperties.server(config.raft(), config.address().substring(0, colon), port,
                config.dataDir().resolve("raft"));
        this.server = new GroupServer(config.nodeId(), props, tls, gid -> stateMachine, group);
        this.client = new RenewingRaftClient(() -> newClient(tls));
    }

    private RaftClient newClient(RaftTls tls) {
        RaftClient.Builder builder = RaftClient.newBuilder();
        if (tls.enabled()) {
            builder.setParameters(tls.parameters());
        }
        return builder
                .setProperties(RatisProperties.client(config.raft(), Duration.ofSeconds(3)))
                .setRaftGroup(group)
                .setLeaderId(null)
                // Bounded so a group without a leader answers NO_LEADER instead of hanging the caller.
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(60,
                        TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
    }

    /** Replicates a command; completes with the state machine's reply once a majority committed it. */
    public CompletableFuture<byte[]> submit(byte[] command) {
        return client.send(Message.valueOf(ByteString.copyFrom(command))).thenApply(ReplicatedNode::content);
    }

    /** Runs a linearizable read on the leader. */
    public CompletableFuture<byte[]> query(byte[] query) {
        return client.sendReadOnly(Message.valueOf(ByteString.copyFrom(query))).thenApply(ReplicatedNode::content);
    }

    private static byte[] content(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            Exception e = reply.getException();
            throw new CompletionException(new CamberException(ErrorCode.NO_LEADER,
                    "the MDS group could not commit the request (" + (e == null ? "unknown" : e.getMessage())
                            + "); retry when a leader is elected"));
        }
        return reply.getMessage().getContent().toByteArray();
    }

    /** This member's id. */
    public String nodeId() {
        return config.nodeId();
    }

    /** The group's configuration. */
    public RaftNodeConfig config() {
        return config;
    }

    /** This member's Raft role: LEADER, FOLLOWER, CANDIDATE or another Ratis role name. */
    public String role() {
        try {
            return division().getInfo().getCurrentRole().name();
        } catch (IOException e) {
            return "UNKNOWN";
        }
    }

    /** Whether this member is the leader and ready to serve. */
    public boolean isLeader() {
        try {
            return division().getInfo().isLeaderReady();
        } catch (IOException e) {
            return false;
        }
    }

    /** The id of the leader this member knows of, if any. */
    public Optional<String> leaderId() {
        try {
            RaftPeerId id = division().getInfo().getLeaderId();
            return Optional.ofNullable(id).map(RaftPeerId::toString);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The Raft term this member is in. */
    public long term() {
        try {
            return division().getInfo().getCurrentTerm();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The state machine this member hosts. */
    public RocksStateMachine stateMachine() {
        return stateMachine;
    }

    private RaftServer.Division division() throws IOException {
        return server.division(group.getGroupId())
                .orElseThrow(() -> new IOException("group " + group.getGroupId() + " is not running here"));
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
