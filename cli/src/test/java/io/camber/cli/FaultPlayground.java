package io.camber.cli;

/**
 * The settings of the playground the playground ITs share (see PlaygroundFixture.shared), in failsafe's alphabetical
 * order: ChunkKillIT, NbdKillIT, PlaygroundIT (which ends with a `down` and `up` of the whole playground), then
 * SelfHealingIT, which grows it to 4 chunk services and stops it.
 */
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
