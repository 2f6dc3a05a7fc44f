package io.camber.s3.web;

import io.camber.client.fs.CamberFs;
import io.camber.s3.bucket.Buckets;
import io.camber.s3.multipart.PartNumber;
import io.camber.s3.multipart.UploadRecord;
import io.camber.s3.multipart.PartJoin;
import io.camber.s3.multipart.Uploads;
import io.camber.s3.multipart.Uploads.Part;
import io.camber.s3.object.ByteRange;
import io.camber.s3.object.ObjectKey;
import io.camber.s3.object.ObjectMeta;
import io.camber.s3.object.ObjectReader;
import io.camber.s3.object.ObjectWriter;
import io.camber.s3.object.PutRequest;
import io.camber.s3.object.StoredObject;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Multipart uploads: create, upload a part (or copy one), list parts and uploads, abort, complete. Complete checks
 * the parts the client names, joins their extents into one new file without copying a byte ({@link PartJoin}; the
 * bytes are streamed into a new file instead when the parts cannot be joined) and renames it over the key, so the
 * object appears whole or not at all; the upload's directory goes last.
 */
final class MultipartHandler {
    /** S3's smallest part, except the last one. */
    static final long MIN_PART = 5L << 20;
    private final Uploads uploads;
    private final ObjectWriter parts;
    private final ObjectWriter objects;
    private final ObjectReader reader;

    private final PartJoin joins = new PartJoin();
    private final Counter completedJoined;
    private final Counter completedCopied;

    MultipartHandler(Uploads uploads, ObjectWriter parts, ObjectWriter objects, ObjectReader reader,
                     MeterRegistry registry) {
        this.uploads = uploads;
        this.parts = parts;
        this.objects = objects;
        this.reader = reader;
        this.completedJoined = completed(registry, "joined");
        this.completedCopied = completed(registry, "copied");
    }

    private static Counter completed(MeterRegistry registry, String how) {
        return Counter.builder("camber_s3_multipart_completed").baseUnit("uploads").tag("how", how)
                .description("Completed multipart uploads: joined in metadata, or copied when the parts could not be"
                        + " joined (different partitions, inline parts, a part before the last not whole 4 KiB blocks)")
                .register(registry);
    }

    Mono<ServerResponse> create(ServerRequest request, RequestTarget t, Authorized auth, CamberFs fs) {
        ObjectKey key = ObjectKey.parse(t.key());
        UploadRecord record = UploadRecord.of(t.bucket(), key.key(), auth.accessKey(), System.currentTimeMillis(),
                ObjectHeaders.fromPut(request));
        return Mono.fromFuture(() -> Buckets.open(fs, t.bucket(), auth.accessKey())
                        .thenCompose(b -> uploads.create(fs, record)))
                .flatMap(u -> S3Responses.xml(Xml.document("InitiateMultipartUploadResult").element("Bucket",
                        t.bucket()).element("Key", key.key()).element("UploadId", u.id())
                        .end("InitiateMultipartUploadResult")));
    }

    Mono<ServerResponse> uploadPart(ServerRequest request, RequestTarget t, Authorized auth, CamberFs fs) {
        PartNumber number = PartNumber.parse(t.param("partNumber"));
        return open(t, auth, fs).flatMap(u -> parts.put(fs, u.parts(), ObjectKey.parse(number.fileName()),
                        new PutRequest(auth.body().apply(request.bodyToFlux(DataBuffer.class)), ObjectMeta.forPut(
                                Map.of(), Map.of()), auth.declaredLength())))
                .flatMap(etag -> ServerResponse.ok().header(HttpHeaders.ETAG, "\"" + etag + "\"").build());
    }

    /** UploadPartCopy: a part's bytes from an existing object, all of it or x-amz-copy-source-range. */
    Mono<ServerResponse> copyPart(ServerRequest request, RequestTarget t, Authorized auth, CamberFs fs) {
        PartNumber number = PartNumber.parse(t.param("partNumber"));
        CopySource source = CopySource.parse(request.headers().firstHeader("x-amz-copy-source"));
        String rangeHeader = request.headers().firstHeader("x-amz-copy-source-range");
        return open(t, auth, fs).flatMap(u -> Mono.fromFuture(() -> Buckets.open(fs, source.bucket(),
                        auth.accessKey())).flatMap(from -> reader.find(fs, from, source.key())).flatMap(object -> {
                    CopyPreconditions.check(request.headers().asHttpHeaders(), object);
                    ByteRange range = rangeHeader == null ? null : ByteRange.parse(rangeHeader, object.size());
                    long first = range == null ? 0 : range.first();
                    long last = range == null ? object.size() - 1 : range.last();
                    return parts.put(fs, u.parts(), ObjectKey.parse(number.fileName()), new PutRequest(bytes(fs,
                            object, first, last, request), ObjectMeta.forPut(Map.of(), Map.of()), last - first + 1));
                }))
                .flatMap(etag -> S3Responses.xml(Xml.document("CopyPartResult").element("LastModified",
                        S3Responses.iso(java.time.Instant.now())).element("ETag", "\"" + etag + "\"")
                        .end("CopyPartResult")));
    }

    Mono<ServerResponse> listParts(RequestTarget t, Authorized auth, CamberFs fs) {
        int marker = t.param("part-number-marker") == null ? 0 : PartNumber.parse(t.param("part-number-marker"))
                .value();
        int max = t.param("max-parts") == null ? 1000 : Math.min(1000, Math.max(0, Integer.parseInt(
                t.param("max-parts"))));
        return open(t, auth, fs).flatMap(u -> Mono.fromFuture(() -> uploads.parts(fs, u)).flatMap(all -> {
            List<Part> after = all.stream().filter(p -> p.number() > marker).toList();
            List<Part> page = after.subList(0, Math.min(max, after.size()));
            boolean truncated = after.size() > page.size();
            Xml x = Xml.document("ListPartsResult").element("Bucket", t.bucket()).element("Key", u.record().key())
                    .element("UploadId", u.id()).element("PartNumberMarker", marker)
                    .element("NextPartNumberMarker", page.isEmpty() ? marker : page.get(page.size() - 1).number())
                    .element("MaxParts", max).element("IsTruncated", truncated)
                    .open("Initiator").element("ID", u.record().owner()).close("Initiator")
                    .open("Owner").element("ID", u.record().owner()).close("Owner")
                    .element("StorageClass", "STANDARD");
            for (Part p : page) {
                x.open("Part").element("PartNumber", p.number()).element("LastModified",
                        S3Responses.iso(p.lastModified())).element("ETag", "\"" + p.etag() + "\"")
                        .element("Size", p.size()).close("Part");
            }
            return S3Responses.xml(x.end("ListPartsResult"));
        }));
    }

    Mono<ServerResponse> listUploads(RequestTarget t, Authorized auth, CamberFs fs) {
        String prefix = t.param("prefix") == null ? "" : t.param("prefix");
        return Mono.fromFuture(() -> Buckets.open(fs, t.bucket(), auth.accessKey())
                        .thenCompose(b -> uploads.list(fs, t.bucket())))
                .flatMap(all -> {
                    Xml x = Xml.document("ListMultipartUploadsResult").element("Bucket", t.bucket())
                            .element("KeyMarker", "").element("UploadIdMarker", "").element("Prefix", prefix)
                            .element("MaxUploads", 1000).element("IsTruncated", false);
                    all.stream().filter(u -> u.record().key().startsWith(prefix)).limit(1000).forEach(u -> x
                            .open("Upload").element("Key", u.record().key()).element("UploadId", u.id())
                            .open("Initiator").element("ID", u.record().owner()).close("Initiator")
                            .open("Owner").element("ID", u.record().owner()).close("Owner")
                            .element("StorageClass", "STANDARD").element("Initiated", S3Responses.iso(
                                    java.time.Instant.ofEpochMilli(u.record().initiated()))).close("Upload"));
                    return S3Responses.xml(x.end("ListMultipartUploadsResult"));
                });
    }

    Mono<ServerResponse> abort(RequestTarget t, Authorized auth, CamberFs fs) {
        return open(t, auth, fs).flatMap(u -> Mono.fromFuture(() -> uploads.remove(fs, u)))
                .then(ServerResponse.noContent().build());
    }

    Mono<ServerResponse> complete(ServerRequest request, RequestTarget t, Authorized auth, CamberFs fs) {
        ObjectKey key = ObjectKey.parse(t.key());
        return BucketHandler.readSmall(auth.body().apply(request.bodyToFlux(DataBuffer.class))).flatMap(body -> {
            List<XmlRequests.CompletedPart> named = XmlRequests.complete(body);
            List<String> etags = named.stream().map(XmlRequests.CompletedPart::etag).toList();
            String plan = PartJoin.plan(named.stream().map(XmlRequests.CompletedPart::number).toList(), etags);
            return open(t, auth, fs).flatMap(u -> Mono.fromFuture(() -> Buckets.open(fs, t.bucket(), auth.accessKey()))
                    .flatMap(bucket -> Mono.fromFuture(() -> joins.earlier(fs, u, plan)).flatMap(earlier -> {
                        if (earlier.isPresent()) { // joined by a Complete that crashed before the rename
                            return place(fs, bucket, key, u, earlier.get(), multipartEtag(etags));
                        }
                        return Mono.fromFuture(() -> uploads.parts(fs, u)).flatMap(stored -> {
                            List<Part> chosen = choose(named, stored);
                            String etag = multipartEtag(etags);
                            return Mono.fromFuture(() -> joins.join(fs, u, chosen, plan)).flatMap(joined ->
                                    joined.isPresent() ? place(fs, bucket, key, u, joined.get(), etag)
                                            : copy(fs, bucket, key, u, chosen, etag, request));
                        });
                    }))
                    .flatMap(done -> Mono.fromFuture(() -> uploads.remove(fs, u)).thenReturn(done)))
                    .flatMap(etag -> S3Responses.xml(Xml.document("CompleteMultipartUploadResult")
                    .element("Location", "/" + t.bucket() + "/" + key.key()).element("Bucket", t.bucket())
                    .element("Key", key.key()).element("ETag", "\"" + etag + "\"")
                    .end("CompleteMultipartUploadResult")));
        });
    }

    private Mono<String> place(CamberFs fs, Buckets.Bucket bucket, ObjectKey key, Uploads.Upload u,
                               PartJoin.Joined joined, String etag) {
        completedJoined.increment();
        return objects.place(fs, bucket, key, joined.dir(), joined.name(), joined.file(), u.record().objectMeta(),
                etag);
    }

    /** The parts' bytes streamed into a new object: for parts that cannot be joined in metadata. */
    private Mono<String> copy(CamberFs fs, Buckets.Bucket bucket, ObjectKey key, Uploads.Upload u, List<Part> chosen,
                              String etag, ServerRequest request) {
        completedCopied.increment();
        long size = chosen.stream().mapToLong(Part::size).sum();
        Flux<ByteBuffer> bytes = Flux.fromIterable(chosen).concatMap(p -> bytes(fs, new StoredObject(
                "part " + p.number(), p.file(), ObjectMeta.forPut(Map.of(), Map.of())), 0, p.size() - 1, request), 1);
        return objects.put(fs, bucket, key, new PutRequest(bytes, u.record().objectMeta(), size, etag));
    }

    /** The stored parts the client named, checked: ascending numbers, matching ETags, all but the last >= 5 MiB. */
    static List<Part> choose(List<XmlRequests.CompletedPart> named, List<Part> stored) {
        Map<Integer, Part> byNumber = stored.stream().collect(Collectors.toMap(Part::number, Function.identity()));
        int previous = 0;
        for (XmlRequests.CompletedPart n : named) {
            if (n.number() <= previous) {
                throw new S3Exception("InvalidPartOrder", 400, "parts must be listed in ascending order of part "
                        + "number, each once", null);
            }
            previous = n.number();
        }
        List<Part> chosen = new java.util.ArrayList<>();
        for (int i = 0; i < named.size(); i++) {
            XmlRequests.CompletedPart n = named.get(i);
            Part p = byNumber.get(n.number());
            if (p == null || !p.etag().equals(n.etag())) {
                throw new S3Exception("InvalidPart", 400, "part " + n.number() + " was not uploaded, or its ETag is "
                        + "not " + n.etag() + ": ListParts shows what was", null);
            }
            if (i < named.size() - 1 && p.size() < MIN_PART) {
                throw new S3Exception("EntityTooSmall", 400, "part " + n.number() + " is " + p.size()
                        + " bytes; every part but the last must be at least 5 MiB", null);
            }
            chosen.add(p);
        }
        return chosen;
    }

    /** S3's multipart ETag: the MD5 of the parts' binary MD5s, then "-" and the number of parts. */
    static String multipartEtag(List<String> partEtags) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            partEtags.forEach(etag -> md5.update(HexFormat.of().parseHex(etag)));
            return HexFormat.of().formatHex(md5.digest()) + "-" + partEtags.size();
        } catch (java.security.NoSuchAlgorithmException | IllegalArgumentException e) {
            throw new S3Exception(S3Error.INTERNAL_ERROR, "a part's ETag is not an MD5: " + e.getMessage(), e);
        }
    }

    private Mono<Uploads.Upload> open(RequestTarget t, Authorized auth, CamberFs fs) {
        ObjectKey key = ObjectKey.parse(t.key());
        return Mono.fromFuture(() -> Buckets.open(fs, t.bucket(), auth.accessKey())
                .thenCompose(b -> uploads.open(fs, t.param("uploadId"), t.bucket(), key.key())));
    }

    private Flux<ByteBuffer> bytes(CamberFs fs, StoredObject object, long first, long last, ServerRequest request) {
        return reader.stream(fs, object, first, last, request.exchange().getResponse().bufferFactory())
                .map(DataBuffer::toByteBuffer);
    }
}
