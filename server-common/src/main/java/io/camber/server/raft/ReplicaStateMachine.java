package io.camber.server.raft;

import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lifecycle every Camber state machine shares: open its state at start; let go of its files when
 * Ratis pauses it to install a leader's snapshot; reopen from the installed snapshot afterwards.
 * Subclasses say what opening and releasing mean for their store.
 */
public abstract class ReplicaStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaStateMachine.class);

    private final AtomicLong snapshotInstalls = new AtomicLong();

    /** Opens the state from disk and sets the last applied term and index it holds. */
    protected abstract void open() throws IOException;

    /** Closes the files a snapshot install is about to replace. */
    protected abstract void release() throws IOException;

    /** Turns the files Ratis just installed into the live state, before {@link #open()} runs. */
    protected void adoptInstalledSnapshot() throws IOException {
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        getStateMachineStorage().init(raftStorage);
        getLifeCycle().startAndTransition(() -> {
            try {
                open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        try {
            release();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the state of group " + getGroupId(), e);
        }
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public void reinitialize() throws IOException {
        getLifeCycle().transition(LifeCycle.State.STARTING);
        adoptInstalledSnapshot();
        open();
        getLifeCycle().transition(LifeCycle.State.RUNNING);
        snapshotInstalls.incrementAndGet();
        LOG.info("event=snapshot_installed group={} last_applied={}", getGroupId(), getLastAppliedTermIndex());
    }

    /** Snapshots from a leader this replica installed since it started. */
    public long snapshotInstalls() {
        return snapshotInstalls.get();
    }
}
