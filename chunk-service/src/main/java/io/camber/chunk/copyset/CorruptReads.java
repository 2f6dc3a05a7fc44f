package io.camber.chunk.copyset;

import io.camber.chunk.store.CorruptPagesException;
import io.camber.common.ErrorCode;
import io.camber.common.CamberException;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.ChunkRequest;
import org.apache.ratis.protocol.RaftGroupId;

import java.util.concurrent.CompletableFuture;

/** Answers a read whose pages on this replica fail their checksums, and gets the bad copy repaired. */
@FunctionalInterface
public interface CorruptReads {
    /** For a replica with nowhere else to read from (tests of one replica): the read fails, naming the pages. */
    CorruptReads REFUSE = (group, read, corrupt, appliedIndex) -> CompletableFuture.completedFuture(
            ChunkReply.failure(new CamberException(ErrorCode.UNAVAILABLE, corrupt.getMessage())));

    /**
     * The reply to {@code read}, from another replica that has applied at least {@code appliedIndex}; a failure
     * (never wrong bytes) when no replica has good ones.
     */
    CompletableFuture<ChunkReply> answer(RaftGroupId group, ChunkRequest read, CorruptPagesException corrupt,
            long appliedIndex);
}
