package io.camber.s3.object;

import reactor.core.publisher.Flux;

import java.nio.ByteBuffer;

/**
 * What a PutObject carries, its signature already checked.
 *
 * @param body           the payload, aws-chunked framing already removed; each buffer is the writer's to keep
 * @param meta           the metadata to store (its etag is filled in by the writer)
 * @param declaredLength the length the client declared (Content-Length or x-amz-decoded-content-length), -1 if none
 * @param etag           the ETag to store, or null for the MD5 of the body (a completed multipart upload has its own)
 */
public record PutRequest(Flux<ByteBuffer> body, ObjectMeta meta, long declaredLength, String etag) {

    /** A PUT whose ETag is the MD5 of its body. */
    public PutRequest(Flux<ByteBuffer> body, ObjectMeta meta, long declaredLength) {
        this(body, meta, declaredLength, null);
    }
}
