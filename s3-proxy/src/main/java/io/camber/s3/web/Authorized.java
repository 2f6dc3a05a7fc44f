package io.camber.s3.web;

import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;

import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * A request whose signature checked out: who sent it, and how to read its body.
 *
 * @param accessKey      the signing access key, which owns what it creates
 * @param body           turns the raw body into the payload (aws-chunked framing removed; the signed SHA-256,
 *                       the chunk signatures and trailing checksum, Content-MD5 and x-amz-checksum-*, checked as
 *                       it streams: a mismatch ends it in error); each buffer it hands out is the reader's to keep
 * @param declaredLength the payload length the client declared (x-amz-decoded-content-length, else
 *                       Content-Length), -1 when it declared none
 * @param digestSent     whether the body carries a Content-MD5 or x-amz-checksum-* header, which {@code body} checks
 */
public record Authorized(String accessKey, Function<Flux<DataBuffer>, Flux<ByteBuffer>> body,
                         long declaredLength, boolean digestSent) {
}
