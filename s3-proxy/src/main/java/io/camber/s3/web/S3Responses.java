package io.camber.s3.web;

import io.camber.meta.fs.FsError;
import io.camber.s3.fs.Directories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How answers are written: XML documents, S3 error documents, and the date formats S3 uses. */
public final class S3Responses {
    private static final Logger LOG = LoggerFactory.getLogger(S3Responses.class);
    public static final MediaType XML = MediaType.APPLICATION_XML;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private S3Responses() {
    }

    public static Mono<ServerResponse> xml(String body) {
        return ServerResponse.ok().contentType(XML).bodyValue(body);
    }

    /** Timestamps in listings: ISO 8601 with milliseconds, UTC. */
    public static String iso(Instant t) {
        return ISO.format(t);
    }

    /** Last-Modified and friends: RFC 1123. */
    public static String http(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atZone(ZoneOffset.UTC));
    }

    /** The S3 error document for e; failures S3 has no code for are InternalError, logged here once. */
    public static Mono<ServerResponse> error(Throwable failure, ServerRequest request, String requestId) {
        S3Exception e = asS3(failure);
        if (e.status() >= 500) {
            LOG.warn("event=s3_request_failed method={} path={} code={} error={}", request.method(),
                    request.uri().getRawPath(), e.code(), String.valueOf(Directories.unwrap(failure)));
        }
        ServerResponse.BodyBuilder answer = ServerResponse.status(e.status());
        if (request.method() == HttpMethod.HEAD) {
            return answer.build(); // a HEAD answer has no body; the status says it
        }
        String doc = Xml.plain("Error").element("Code", e.code()).element("Message", e.getMessage())
                .element("Resource", request.uri().getRawPath()).element("RequestId", requestId).end("Error");
        return answer.contentType(XML).bodyValue(doc);
    }

    static S3Exception asS3(Throwable failure) {
        Throwable t = Directories.unwrap(failure);
        if (t instanceof S3Exception s3) {
            return s3;
        }
        FsError fs = Directories.errorOf(t);
        if (fs == FsError.ENOSPC) {
            return new S3Exception("InsufficientStorage", HttpStatus.INSUFFICIENT_STORAGE.value(), "the cluster has "
                    + "no space left for this object: free space or add chunk servers", t);
        }
        if (fs == FsError.ENAMETOOLONG) {
            return new S3Exception(S3Error.KEY_TOO_LONG, "a segment of the key is longer than the file system "
                    + "allows", t);
        }
        if (fs == FsError.EAGAIN || fs == FsError.EBUSY) {
            return new S3Exception(S3Error.SLOW_DOWN, "the key is being renamed or written at this moment: retry",
                    t);
        }
        return new S3Exception(S3Error.INTERNAL_ERROR, "the request failed inside Camber; the s3-proxy log has the "
                + "cause: " + t.getClass().getSimpleName(), t);
    }
}
