package io.camber.s3.web;

import io.camber.client.fs.CamberFs;
import io.camber.s3.bucket.Buckets;
import io.camber.s3.object.ByteRange;
import io.camber.s3.object.ObjectKey;
import io.camber.s3.object.ObjectReader;
import io.camber.s3.object.ObjectRemover;
import io.camber.s3.object.ObjectWriter;
import io.camber.s3.object.PutRequest;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** PutObject, GetObject, HeadObject and DeleteObject on one key. */
final class ObjectHandler {
    private final ObjectWriter writer;
    private final ObjectReader reader;

    ObjectHandler(ObjectWriter writer, ObjectReader reader) {
        this.writer = writer;
        this.reader = reader;
    }

    Mono<ServerResponse> put(ServerRequest request, RequestTarget target, Authorized auth, CamberFs fs) {
        ObjectKey key = ObjectKey.parse(target.key());
        PutRequest put = new PutRequest(auth.body().apply(request.bodyToFlux(DataBuffer.class)),
                ObjectHeaders.fromPut(request), auth.declaredLength());
        return Mono.fromFuture(() -> Buckets.open(fs, target.bucket(), auth.accessKey()))
                .flatMap(bucket -> writer.put(fs, bucket, key, put))
                .flatMap(etag -> ServerResponse.ok().header(HttpHeaders.ETAG, "\"" + etag + "\"").build());
    }

    /**
     * CopyObject: the source streams through the proxy into a new staged file, renamed over the target like a PUT.
     * COPY (the default) keeps the source's metadata, REPLACE takes the request's.
     */
    Mono<ServerResponse> copy(ServerRequest request, RequestTarget target, Authorized auth, CamberFs fs) {
        ObjectKey key = ObjectKey.parse(target.key());
        CopySource source = CopySource.parse(request.headers().firstHeader("x-amz-copy-source"));
        String directive = request.headers().firstHeader("x-amz-metadata-directive");
        boolean replace = "REPLACE".equalsIgnoreCase(directive);
        if (directive != null && !replace && !"COPY".equalsIgnoreCase(directive)) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-metadata-directive must be COPY or REPLACE");
        }
        if (!replace && source.bucket().equals(target.bucket()) && source.key().key().equals(key.key())) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "copying an object onto itself changes nothing: use "
                    + "x-amz-metadata-directive REPLACE to change its metadata");
        }
        return Mono.fromFuture(() -> Buckets.open(fs, source.bucket(), auth.accessKey()))
                .flatMap(from -> reader.find(fs, from, source.key()))
                .flatMap(object -> {
                    CopyPreconditions.check(request.headers().asHttpHeaders(), object);
                    return auth.body().apply(request.bodyToFlux(DataBuffer.class)).then(Mono.fromFuture(() ->
                            Buckets.open(fs, target.bucket(), auth.accessKey()))).flatMap(to -> writer.put(fs, to, key,
                            new PutRequest(reader.stream(fs, object, 0, object.size() - 1,
                                    request.exchange().getResponse().bufferFactory()).map(DataBuffer::toByteBuffer),
                                    replace ? ObjectHeaders.fromPut(request) : object.meta(), object.size())));
                })
                .flatMap(etag -> S3Responses.xml(Xml.document("CopyObjectResult")
                        .element("LastModified", S3Responses.iso(java.time.Instant.now()))
                        .element("ETag", "\"" + etag + "\"").end("CopyObjectResult")));
    }

    Mono<ServerResponse> get(ServerRequest request, RequestTarget target, Authorized auth, CamberFs fs,
                             boolean head) {
        ObjectKey key = ObjectKey.parse(target.key());
        return Mono.fromFuture(() -> Buckets.open(fs, target.bucket(), auth.accessKey()))
                .flatMap(bucket -> reader.find(fs, bucket, key))
                .flatMap(object -> {
                    if (Preconditions.check(request.headers().asHttpHeaders(), object)
                            == Preconditions.Outcome.NOT_MODIFIED) {
                        return ServerResponse.status(HttpStatus.NOT_MODIFIED)
                                .header(HttpHeaders.ETAG, "\"" + object.meta().etag() + "\"")
                                .header(HttpHeaders.LAST_MODIFIED, S3Responses.http(object.lastModified())).build();
                    }
                    ByteRange range = ByteRange.parse(request.headers().firstHeader(HttpHeaders.RANGE), object.size());
                    ServerResponse.BodyBuilder answer = ServerResponse.status(range == null ? HttpStatus.OK
                            : HttpStatus.PARTIAL_CONTENT);
                    ObjectHeaders.apply(answer, object, target);
                    long first = range == null ? 0 : range.first();
                    long last = range == null ? object.size() - 1 : range.last();
                    answer.contentLength(last - first + 1);
                    if (range != null) {
                        answer.header(HttpHeaders.CONTENT_RANGE, range.contentRange(object.size()));
                    }
                    if (head) {
                        return answer.build();
                    }
                    return answer.body(BodyInserters.fromDataBuffers(reader.stream(fs, object, first, last,
                            request.exchange().getResponse().bufferFactory())));
                });
    }

    Mono<ServerResponse> delete(RequestTarget target, Authorized auth, CamberFs fs) {
        ObjectKey key = ObjectKey.parse(target.key());
        return Mono.fromFuture(() -> Buckets.open(fs, target.bucket(), auth.accessKey())
                        .thenCompose(bucket -> ObjectRemover.delete(fs, bucket, key)))
                .then(ServerResponse.noContent().build());
    }
}
