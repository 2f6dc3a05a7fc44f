package io.camber.server.raft;

import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;

import org.apache.ratis.server.RaftServerConfigKeys;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Ratis server hosting any number of groups (multi-raft): the MDS runs one group, a chunk service one
 * per copyset, a meta-service one per partition. Groups found on disk resume at start; the registry makes
 * each group's state machine.
 */
public final class GroupServer implements AutoCloseable {
    private final RaftServer server;
    private final RaftPeerId self;
    private final AtomicLong callIds = new AtomicLong();

    /** Starts the server; initialGroup (may be null) is created or resumed along with those on disk. */
    public GroupServer(String peerId, RaftProperties props, StateMachine.Registry registry, RaftGroup initialGroup)
            throws IOException {
        this(peerId, props, RaftTls.NONE, registry, initialGroup);
    }

    /** As above, over mutual TLS when tls is enabled. */
    public GroupServer(String peerId, RaftProperties props, RaftTls tls, StateMachine.Registry registry,
                       RaftGroup initialGroup) throws IOException {
        this.self = RaftPeerId.valueOf(peerId);
        RaftServer.Builder builder = RaftServer.newBuilder()
                .setServerId(self)
                .setProperties(props)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .setStateMachineRegistry(registry);
        if (tls.enabled()) {
            builder.setParameters(tls.parameters());
        }
        if (initialGroup != null) {
            builder.setGroup(initialGroup);
        }
        this.server = builder.build();
        server.start();
    }

    /** This server's peer id. */
    public RaftPeerId self() {
        return self;
    }

    /** Whether this server hosts the group. */
    public boolean hosts(RaftGroupId gid) {
        return groupIds().contains(gid);
    }

    /**
     * Creates a group here (a member of it); its state machine comes from the registry. An attempt that fails leaves
     * no storage folder behind (Ratis would refuse every later attempt to format it), unless one was there before.
     */
    public void addGroup(RaftGroup group) throws IOException {
        List<File> dirs = new ArrayList<>();
        for (File root : RaftServerConfigKeys.storageDir(server.getProperties())) {
            dirs.add(new File(root, group.getGroupId().getUuid().toString()));
        }
        boolean existed = dirs.stream().anyMatch(File::exists);
        RaftClientReply reply;
        try {
            reply = server.groupManagement(GroupManagementRequest.newAdd(ClientId.randomId(), self,
                    callIds.incrementAndGet(), group));
        } catch (java.io.InterruptedIOException e) {
            throw e; // interrupted (shutting down): the add may still be under way, its folder is not ours to delete
        } catch (IOException e) {
            forgetFailedAdd(group.getGroupId(), dirs, existed);
            throw e;
        }
        if (!reply.isSuccess()) {
            forgetFailedAdd(group.getGroupId(), dirs, existed);
            throw new IOException("cannot create Raft group " + group.getGroupId() + ": " + reply.getException());
        }
    }

    private void forgetFailedAdd(RaftGroupId gid, List<File> dirs, boolean existed) throws IOException {
        if (existed || hosts(gid)) {
            return; // not ours to delete: a group's storage from before, or the group did start after all
        }
        for (File dir : dirs) {
            io.camber.server.storage.Folders.deleteTree(dir.toPath());
        }
    }

    /** Removes a group from this server and deletes its Raft storage (log, snapshots, metadata). */
    public void removeGroup(RaftGroupId gid) throws IOException {
        RaftClientReply reply = server.groupManagement(GroupManagementRequest.newRemove(ClientId.randomId(), self,
                callIds.incrementAndGet(), gid, true, false));
        if (!reply.isSuccess()) {
            throw new IOException("cannot remove Raft group " + gid + ": " + reply.getException());
        }
    }

    /** The groups hosted here. */
    public List<RaftGroupId> groupIds() {
        List<RaftGroupId> ids = new ArrayList<>();
        server.getGroupIds().forEach(ids::add);
        return ids;
    }

    /** A hosted group's member, if this server hosts it. */
    public Optional<RaftServer.Division> division(RaftGroupId gid) {
        try {
            return Optional.of(server.getDivision(gid));
        } catch (IOException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** The Ratis server itself, for requests submitted in-process. */
    public RaftServer raftServer() {
        return server;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
