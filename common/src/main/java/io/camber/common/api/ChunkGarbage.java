package io.camber.common.api;

/**
 * A chunk no volume refers to any more (its volume was deleted), waiting to be deleted on its copyset. The
 * delete carries epoch, one above the volume's last, so a writer of the deleted volume that is still around is
 * refused from then on instead of writing the chunk back.
 */
public record ChunkGarbage(long logicalPoolId, int copysetId, long chunkId, long volumeId, long epoch) {
}
