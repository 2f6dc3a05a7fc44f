package io.camber.meta.protocol;

import io.camber.meta.fs.FileType;

/**
 * One partition's record of a cross-partition rename. The primary (source side) holds the outcome: PREPARED
 * until the commit point, then COMMITTED or ABORTED until the client forgets it; the target side holds
 * PREPARED until it commits or rolls back, and then nothing.
 *
 * @param peerPartition the other partition of the rename (for the target side: the primary to ask)
 * @param preparedAt    the client's time at prepare, against which a resolver's ttl runs
 */
public record RenameIntent(String txid, Role role, State state, long srcParent, String srcName, long dstParent,
                           String dstName, long ino, FileType type, int peerPartition, long preparedAt) {

    /** Which half of the rename this partition holds. */
    public enum Role { SOURCE, TARGET }

    /** Where the rename stands; UNKNOWN only in answers about a txid this partition has no record of. */
    public enum State { PREPARED, COMMITTED, ABORTED, UNKNOWN }

    public RenameIntent withState(State next) {
        return new RenameIntent(txid, role, next, srcParent, srcName, dstParent, dstName, ino, type, peerPartition,
                preparedAt);
    }
}
