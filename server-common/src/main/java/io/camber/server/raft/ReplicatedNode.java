package io.camber.server.raft;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.GroupInfoReply;
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
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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
    private final RaftTls tls;

    /** Starts the member; a data directory that holds a log resumes from it. */
    public ReplicatedNode(String groupName, RaftNodeConfig config, RocksStateMachine stateMachine) throws IOException {
        this(groupName, config, stateMachine, RaftTls.NONE);
    }

    /** As above; with tls enabled, the member's server and its client speak mutual TLS. */
    public ReplicatedNode(String groupName, RaftNodeConfig config, RocksStateMachine stateMachine, RaftTls tls)
            throws IOException {
        this.config = config;
        this.stateMachine = stateMachine;
        this.tls = tls;
        this.group = groupOf(groupName, config);
        int colon = config.address().lastIndexOf(':');
        int port = Integer.parseInt(config.address().substring(colon + 1));
        // Listens only on the address its peers know it by (127.0.0.1 in the playground), not on every interface.
        RaftProperties props = RatisProperties.server(config.raft(), config.address().substring(0, colon), port,
                config.dataDir().resolve("raft"));
        this.server = new GroupServer(config.nodeId(), props, tls, gid -> stateMachine, group);
        this.client = new RenewingRaftClient(() -> newClient(tls));
    }

    private static RaftGroup groupOf(String groupName, RaftNodeConfig config) {
        RaftGroupId groupId = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(groupName.getBytes(StandardCharsets.UTF_8)));
        List<RaftPeer> peers = config.peers().entrySet().stream()
                .map(e -> RaftPeer.newBuilder().setId(e.getKey()).setAddress(e.getValue()).build())
                .toList();
        return RaftGroup.valueOf(groupId, peers);
    }

    /**
     * A read of one peer's applied state, asked before this member starts (so without its vote or log): a stale
     * read, answered from whatever that peer has applied. Empty when the peer does not answer within a few seconds.
     */
    public static Optional<byte[]> readFromPeer(String groupName, RaftNodeConfig config, RaftTls tls, String peerId,
                                                byte[] query) {
        RaftGroup group = groupOf(groupName, config);
        RaftClient.Builder builder = RaftClient.newBuilder();
        if (tls.enabled()) {
            builder.setParameters(tls.parameters());
        }
        try (RaftClient client = builder.setProperties(RatisProperties.client(config.raft(), Duration.ofSeconds(3)))
                .setRaftGroup(group).setRetryPolicy(RetryPolicies.noRetry()).build()) {
            RaftClientReply reply = client.io().sendStaleRead(Message.valueOf(ByteString.copyFrom(query)), 0,
                    RaftPeerId.valueOf(peerId));
            return reply.isSuccess() ? Optional.of(reply.getMessage().getContent().toByteArray()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The voting members of the group as peerId knows them (its latest configuration); empty if it does not answer. */
    public Optional<Set<String>> membersSeenBy(String peerId) {
        try (RaftClient c = newClient(tls)) {
            GroupInfoReply info = c.getGroupManagementApi(RaftPeerId.valueOf(peerId)).info(group.getGroupId());
            return info.getConf().map(conf -> conf.getPeersList().stream()
                    .map(p -> p.getId().toStringUtf8()).collect(Collectors.toSet()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Makes the configured peers named by ids the group's voting members, through its leader (Ratis catches a new
     * member up before it counts). Throws when the leader does not commit the change.
     */
    public void setMembers(Collection<String> ids) throws IOException {
        List<RaftPeer> peers = group.getPeers().stream().filter(p -> ids.contains(p.getId().toString())).toList();
        try (RaftClient c = newClient(tls)) {
            RaftClientReply reply = c.admin().setConfiguration(peers);
            if (!reply.isSuccess()) {
                throw new IOException("the group did not change its members to " + ids + ": "
                        + reply.getException());
            }
        }
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
