package io.camber.cli;

/** The settings of the playground the fault ITs (ChunkKillIT, NbdKillIT, then NbdRecoveryIT, which grows it to 4 chunk services) share: see PlaygroundFixture.shared. */
final class FaultPlayground {
    /**
     * Copyset snapshots every 100 applied entries instead of 1000, so ChunkKillIT's minute of writes with a replica
     * down crosses several snapshots (its catch-up must still install at most one per copyset).
     */
    static final int SNAPSHOT_THRESHOLD = 100;
    static final String JVM_OPTIONS = "-Dcamber.chunk.raft.snapshot-threshold=" + SNAPSHOT_THRESHOLD;

    private FaultPlayground() {
    }
}
