package io.camber.client.block;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A block device as protocol front-ends (the NBD server) see it: byte-addressed, 512-byte aligned IO,
 * asynchronous so many requests can be in flight. Camber volumes implement it.
 */
public interface BlockDevice extends AutoCloseable {
    /** Smallest unit of IO: offsets and lengths are multiples of it. */
    int SECTOR = 512;

    /** Size in bytes. */
    long size();

    /** Whether writes are refused (opened read-only, or fenced by a newer writer). */
    boolean readOnly();

    /** Reads length bytes at offset; never-written ranges read as zeros. */
    CompletableFuture<ByteBuffer> read(long offset, int length);

    /** Writes the buffer at offset; completes when the bytes are durable on a majority of replicas. */
    CompletableFuture<Void> write(long offset, ByteBuffer data);

    /** Completes when every write acknowledged before it is durable (Camber acknowledges only durable writes). */
    CompletableFuture<Void> flush();

    /** Releases the range: later reads return zeros. */
    CompletableFuture<Void> trim(long offset, long length);

    /** Writes zeros over the range. */
    CompletableFuture<Void> writeZeroes(long offset, long length);

    @Override
    void close();
}
