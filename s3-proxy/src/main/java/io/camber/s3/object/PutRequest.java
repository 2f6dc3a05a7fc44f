package io.camber.s3.object;

import reactor.core.publisher.Flux;

import java.nio.ByteBuffer;

/**
 * What a PutObject carries, its signature already checked.
 *
 * @param body           the payload, aws-chunked framing already removed; each buffer is the writer's to keep
 * @param meta           the metadata to store (its etag is filled in by the writer)
 * @param declaredLength the length the client declared (Content-Length or x-amz-decoded-content-length), -1 if none
 */
public record PutRequest(Flux<ByteBuffer> body, ObjectMeta meta, long declaredLength) {
}
