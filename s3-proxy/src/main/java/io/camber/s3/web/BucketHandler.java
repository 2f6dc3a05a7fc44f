package io.camber.s3.web;

import io.camber.client.fs.CamberFs;
import io.camber.s3.bucket.Buckets;
import io.camber.s3.object.ObjectKey;
import io.camber.s3.object.ObjectRemover;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.util.List;

/** The service and bucket operations: list, create, head, delete, location, and DeleteObjects. */
final class BucketHandler {
    private static final int MAX_DELETE_BODY = 2 << 20;
    private final String region;

    BucketHandler(String region) {
        this.region = region;
    }

    Mono<ServerResponse> listBuckets(Authorized auth, CamberFs fs) {
        return Mono.fromFuture(() -> Buckets.list(fs, auth.accessKey())).flatMap(buckets -> {
            Xml x = Xml.document("ListAllMyBucketsResult").open("Owner").element("ID", auth.accessKey())
                    .element("DisplayName", auth.accessKey()).close("Owner").open("Buckets");
            for (Buckets.Bucket b : buckets) {
                x.open("Bucket").element("Name", b.name())
                        .element("CreationDate", S3Responses.iso(java.time.Instant.ofEpochSecond(0, b.dir().ctime())))
                        .close("Bucket");
            }
            return S3Responses.xml(x.close("Buckets").end("ListAllMyBucketsResult"));
        });
    }

    Mono<ServerResponse> create(ServerRequest request, RequestTarget target, Authorized auth, CamberFs fs) {
        // A CreateBucketConfiguration body only names a location constraint; every bucket lives in this cluster.
        return auth.body().apply(request.bodyToFlux(DataBuffer.class)).then(Mono.fromFuture(() ->
                Buckets.create(fs, target.bucket(), auth.accessKey())))
                .flatMap(b -> ServerResponse.ok().header(HttpHeaders.LOCATION, "/" + b.name()).build());
    }

    Mono<ServerResponse> head(RequestTarget target, Authorized auth, CamberFs fs) {
        return Mono.fromFuture(() -> Buckets.open(fs, target.bucket(), auth.accessKey()))
                .flatMap(b -> ServerResponse.ok().header("x-amz-bucket-region", region).build());
    }

    Mono<ServerResponse> delete(RequestTarget target, Authorized auth, CamberFs fs) {
        return Mono.fromFuture(() -> Buckets.open(fs, target.bucket(), auth.accessKey())
                .thenCompose(b -> Buckets.delete(fs, b))).then(ServerResponse.noContent().build());
    }

    Mono<ServerResponse> location(RequestTarget target, Authorized auth, CamberFs fs) {
        // us-east-1 is answered as an empty constraint, as S3 does
        return Mono.fromFuture(() -> Buckets.open(fs, target.bucket(), auth.accessKey())).flatMap(b ->
                S3Responses.xml(Xml.document("LocationConstraint").text(region.equals("us-east-1") ? "" : region)
                        .end("LocationConstraint")));
    }

    /** DeleteObjects: up to 1000 keys, the body checked against its Content-MD5 before anything is deleted. */
    Mono<ServerResponse> deleteObjects(ServerRequest request, RequestTarget target, Authorized auth, CamberFs fs) {
        if (!auth.digestSent()) {
            return Mono.error(new S3Exception(S3Error.INVALID_REQUEST, "DeleteObjects needs a Content-MD5 or an "
                    + "x-amz-checksum-* header: S3 requires one so that a damaged key list deletes nothing"));
        }
        // the body function checks the digest before the body completes, so a damaged list deletes nothing
        return readSmall(auth.body().apply(request.bodyToFlux(DataBuffer.class))).flatMap(body -> {
            XmlRequests.Delete delete = XmlRequests.delete(body);
            return Mono.fromFuture(() -> Buckets.open(fs, target.bucket(), auth.accessKey()))
                    .flatMapMany(bucket -> Flux.fromIterable(delete.keys()).concatMap(key -> Mono.fromFuture(() ->
                            ObjectRemover.delete(fs, bucket, ObjectKey.parse(key)))
                            .then(Mono.just(new Deleted(key, null)))
                            .onErrorResume(e -> Mono.just(new Deleted(key, S3Responses.asS3(e))))))
                    .collectList().flatMap(results -> S3Responses.xml(deleteResult(results, delete.quiet())));
        });
    }

    private record Deleted(String key, S3Exception error) {
    }

    private static String deleteResult(List<Deleted> results, boolean quiet) {
        Xml x = Xml.document("DeleteResult");
        for (Deleted d : results) {
            if (d.error() == null && !quiet) {
                x.open("Deleted").element("Key", d.key()).close("Deleted");
            } else if (d.error() != null) {
                x.open("Error").element("Key", d.key()).element("Code", d.error().code())
                        .element("Message", d.error().getMessage()).close("Error");
            }
        }
        return x.end("DeleteResult");
    }

    static Mono<byte[]> readSmall(Flux<ByteBuffer> body) {
        return body.reduce(new java.io.ByteArrayOutputStream(), (out, buf) -> {
            if (out.size() + buf.remaining() > MAX_DELETE_BODY) {
                throw new S3Exception(S3Error.MALFORMED_XML, "the request body is larger than the "
                        + MAX_DELETE_BODY + " bytes such a document may have");
            }
            byte[] b = new byte[buf.remaining()];
            buf.get(b);
            out.writeBytes(b);
            return out;
        }).map(java.io.ByteArrayOutputStream::toByteArray).defaultIfEmpty(new byte[0]);
    }
}
