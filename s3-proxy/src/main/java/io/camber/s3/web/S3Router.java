package io.camber.s3.web;

import io.camber.client.fs.CamberFs;
import io.camber.s3.S3ProxyProperties;
import io.camber.s3.fs.FsConnection;
import io.camber.s3.object.ObjectReader;
import io.camber.s3.object.ObjectWriter;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Where every S3 request enters: it is authenticated, then dispatched on method, path depth and sub-resource to
 * the handler of its operation. Path-style addressing only ("/bucket/key"), as the gateway forwards it.
 */
@Component
public class S3Router {
    private final RequestAuthenticator auth;
    private final FsConnection connection;
    private final BucketHandler buckets;
    private final ObjectHandler objects;
    private final ListHandler listings = new ListHandler();
    private final MultipartHandler multipart;

    public S3Router(RequestAuthenticator auth, FsConnection connection, S3ProxyProperties props,
                    io.micrometer.core.instrument.MeterRegistry registry) {
        this.auth = auth;
        this.connection = connection;
        this.buckets = new BucketHandler(props.region());
        ObjectWriter writer = new ObjectWriter(props.stagingDir(), props.maxObjectSize().toBytes());
        ObjectReader reader = new ObjectReader((int) props.readPiece().toBytes());
        this.objects = new ObjectHandler(writer, reader);
        this.multipart = new MultipartHandler(new io.camber.s3.multipart.Uploads(props.uploadsDir()), writer,
                new ObjectWriter(props.stagingDir(), MAX_MULTIPART_OBJECT), reader, registry);
    }

    public Mono<ServerResponse> handle(ServerRequest request) {
        return Mono.defer(() -> {
            RequestTarget target = RequestTarget.of(request.uri());
            return auth.authenticate(request).flatMap(who -> Mono.fromFuture(connection::fs)
                    .flatMap(fs -> dispatch(request, target, who, fs)));
        }).onErrorResume(e -> S3Responses.error(e, request, RequestIds.of(request)));
    }

    private Mono<ServerResponse> dispatch(ServerRequest r, RequestTarget t, Authorized who, CamberFs fs) {
        HttpMethod m = r.method();
        if (t.bucket() == null) {
            return m == HttpMethod.GET ? buckets.listBuckets(who, fs) : notAllowed(m, "the service");
        }
        if (t.key() == null) {
            return bucket(r, t, who, fs, m);
        }
        if (t.has("uploads") || t.has("uploadId")) {
            return multipart(r, t, who, fs, m);
        }
        if (m == HttpMethod.PUT && r.headers().firstHeader("x-amz-copy-source") != null) {
            return objects.copy(r, t, who, fs);
        }
        if (m == HttpMethod.PUT) {
            return objects.put(r, t, who, fs);
        }
        if (m == HttpMethod.GET || m == HttpMethod.HEAD) {
            return objects.get(r, t, who, fs, m == HttpMethod.HEAD);
        }
        if (m == HttpMethod.DELETE) {
            return objects.delete(t, who, fs);
        }
        return notAllowed(m, "an object");
    }

    private Mono<ServerResponse> bucket(ServerRequest r, RequestTarget t, Authorized who, CamberFs fs, HttpMethod m) {
        if (m == HttpMethod.PUT && t.query().isEmpty()) {
            return buckets.create(r, t, who, fs);
        }
        if (m == HttpMethod.HEAD) {
            return buckets.head(t, who, fs);
        }
        if (m == HttpMethod.DELETE && t.query().isEmpty()) {
            return buckets.delete(t, who, fs);
        }
        if (m == HttpMethod.POST && t.has("delete")) {
            return buckets.deleteObjects(r, t, who, fs);
        }
        if (m == HttpMethod.GET) {
            if (t.has("location")) {
                return buckets.location(t, who, fs);
            }
            if (t.has("versions")) {
                return listings.list(t, who, fs, ListHandler.Flavour.VERSIONS);
            }
            if (t.has("uploads")) {
                return multipart.listUploads(t, who, fs);
            }
            if (SUB_RESOURCES.stream().anyMatch(t::has)) {
                return notImplemented("bucket configuration (" + String.join(", ", t.query().keySet()) + ")");
            }
            return listings.list(t, who, fs, "2".equals(t.param("list-type")) ? ListHandler.Flavour.V2
                    : ListHandler.Flavour.V1);
        }
        return notAllowed(m, "a bucket");
    }

    private Mono<ServerResponse> multipart(ServerRequest r, RequestTarget t, Authorized who, CamberFs fs,
                                           HttpMethod m) {
        if (m == HttpMethod.POST && t.has("uploads")) {
            return multipart.create(r, t, who, fs);
        }
        if (!t.has("uploadId")) {
            return notAllowed(m, "?uploads of an object");
        }
        if (m == HttpMethod.PUT) {
            return r.headers().firstHeader("x-amz-copy-source") != null ? multipart.copyPart(r, t, who, fs)
                    : multipart.uploadPart(r, t, who, fs);
        }
        if (m == HttpMethod.GET) {
            return multipart.listParts(t, who, fs);
        }
        if (m == HttpMethod.DELETE) {
            return multipart.abort(t, who, fs);
        }
        if (m == HttpMethod.POST) {
            return multipart.complete(r, t, who, fs);
        }
        return notAllowed(m, "a multipart upload");
    }

    /** S3's largest object, which only a multipart upload can make. */
    private static final long MAX_MULTIPART_OBJECT = 5L << 40;

    private static final java.util.List<String> SUB_RESOURCES = java.util.List.of("acl", "policy", "versioning",
            "lifecycle", "cors", "tagging", "website", "logging", "notification", "replication", "encryption",
            "object-lock", "ownershipControls", "publicAccessBlock", "accelerate", "requestPayment", "analytics",
            "inventory", "metrics", "intelligent-tiering");

    private static Mono<ServerResponse> notImplemented(String what) {
        return Mono.error(new S3Exception(S3Error.NOT_IMPLEMENTED, what + " are not served by this s3-proxy yet"));
    }

    private static Mono<ServerResponse> notAllowed(HttpMethod m, String what) {
        return Mono.error(new S3Exception(S3Error.METHOD_NOT_ALLOWED, m + " is not an operation on " + what));
    }
}
