package io.camber.s3.web;

import io.camber.client.fs.CamberFs;
import io.camber.s3.bucket.Buckets;
import io.camber.s3.listing.KeyWalk;
import io.camber.s3.listing.ListPage;
import io.camber.s3.listing.ListQuery;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.UnaryOperator;

/** ListObjects (v1, marker), ListObjectsV2 (continuation token, start-after) and ListObjectVersions (all null). */
final class ListHandler {

    /** The three listing flavours; they share the walk and differ in parameters and XML. */
    enum Flavour { V1, V2, VERSIONS }

    Mono<ServerResponse> list(RequestTarget t, Authorized auth, CamberFs fs, Flavour flavour) {
        String token = t.param("continuation-token");
        String startAfter = switch (flavour) {
            case V1 -> t.param("marker");
            case V2 -> token != null ? decodeToken(token) : t.param("start-after");
            case VERSIONS -> t.param("key-marker");
        };
        String encoding = t.param("encoding-type");
        if (encoding != null && !encoding.equals("url")) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "encoding-type must be 'url', not '" + encoding + "'");
        }
        ListQuery q = new ListQuery(t.param("prefix"), t.param("delimiter"), startAfter,
                ListQuery.maxKeys(t.param("max-keys")));
        UnaryOperator<String> enc = encoding == null ? s -> s : ListHandler::urlEncode;
        return Mono.fromFuture(() -> Buckets.open(fs, t.bucket(), auth.accessKey())
                        .thenCompose(b -> KeyWalk.list(fs, b.dir().ino(), q)))
                .flatMap(page -> S3Responses.xml(switch (flavour) {
                    case V1 -> v1(t, q, page, enc, encoding);
                    case V2 -> v2(t, q, page, enc, encoding, token);
                    case VERSIONS -> versions(t, q, page, enc, encoding);
                }));
    }

    private static String v1(RequestTarget t, ListQuery q, ListPage page, UnaryOperator<String> enc, String encoding) {
        Xml x = head(Xml.document("ListBucketResult"), t, q, enc, encoding)
                .element("Marker", enc.apply(q.startAfter()));
        if (page.truncated()) {
            x.element("NextMarker", enc.apply(page.last()));
        }
        x.element("IsTruncated", page.truncated());
        return contents(x, page, enc, "Contents").end("ListBucketResult");
    }

    private static String v2(RequestTarget t, ListQuery q, ListPage page, UnaryOperator<String> enc, String encoding,
                             String token) {
        Xml x = head(Xml.document("ListBucketResult"), t, q, enc, encoding)
                .element("KeyCount", page.objects().size() + page.prefixes().size())
                .element("ContinuationToken", token)
                .element("StartAfter", t.param("start-after") == null ? null : enc.apply(t.param("start-after")));
        if (page.truncated()) {
            x.element("NextContinuationToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(page.last().getBytes(StandardCharsets.UTF_8)));
        }
        x.element("IsTruncated", page.truncated());
        return contents(x, page, enc, "Contents").end("ListBucketResult");
    }

    private static String versions(RequestTarget t, ListQuery q, ListPage page, UnaryOperator<String> enc,
                                   String encoding) {
        Xml x = head(Xml.document("ListVersionsResult"), t, q, enc, encoding)
                .element("KeyMarker", enc.apply(q.startAfter())).element("VersionIdMarker", "");
        if (page.truncated()) {
            x.element("NextKeyMarker", enc.apply(page.last()));
        }
        x.element("IsTruncated", page.truncated());
        return contents(x, page, enc, "Version").end("ListVersionsResult");
    }

    private static Xml head(Xml x, RequestTarget t, ListQuery q, UnaryOperator<String> enc, String encoding) {
        return x.element("Name", t.bucket()).element("Prefix", enc.apply(q.prefix()))
                .element("Delimiter", q.delimiter() == null ? null : enc.apply(q.delimiter()))
                .element("MaxKeys", q.maxKeys()).element("EncodingType", encoding);
    }

    private static Xml contents(Xml x, ListPage page, UnaryOperator<String> enc, String element) {
        for (ListPage.Listed o : page.objects()) {
            x.open(element).element("Key", enc.apply(o.key()));
            if (element.equals("Version")) {
                x.element("VersionId", "null").element("IsLatest", true);
            }
            x.element("LastModified", S3Responses.iso(o.lastModified())).element("ETag", "\"" + o.etag() + "\"")
                    .element("Size", o.size()).element("StorageClass", "STANDARD").close(element);
        }
        for (String p : page.prefixes()) {
            x.open("CommonPrefixes").element("Prefix", enc.apply(p)).close("CommonPrefixes");
        }
        return x;
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "the continuation-token is not one this server gave out");
        }
    }

    private static String urlEncode(String s) {
        // as S3 does: every byte but RFC 3986's unreserved characters and '/' is %-encoded, '+' and space too (clients
        // decode with unquote_plus, so a literal '+' must not reach them as one)
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-_.~/".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
