package io.camber.s3.web;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.camber.common.api.S3KeySecret;
import io.camber.s3.S3ProxyProperties;
import io.camber.s3.auth.AwsChunkedDecoder;
import io.camber.s3.auth.BodyDigestVerifier;
import io.camber.s3.auth.S3AuthException;
import io.camber.s3.auth.SigV4;
import io.camber.s3.auth.SignedRequest;
import io.camber.s3.auth.Verified;
import io.camber.s3.fs.FsConnection;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks each request's Signature V4 against the secret the MDS holds for its access key, and wraps its body so the
 * payload is checked as it streams (its SHA-256, or aws-chunked chunk signatures and trailing checksum). Secrets
 * are cached for {@code camber.s3.secret-cache-ttl}: a revoked key stops working within it.
 */
@Component
public class RequestAuthenticator {
    private static final Pattern HEADER_CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");

    private final AsyncLoadingCache<String, Optional<String>> secrets;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    public RequestAuthenticator(FsConnection connection, S3ProxyProperties props) {
        this(accessKey -> connection.mds().s3Secret(accessKey).thenApply(s -> s.map(S3KeySecret::secretKey)),
                props, Clock.systemUTC());
    }

    RequestAuthenticator(Function<String, java.util.concurrent.CompletableFuture<Optional<String>>> fetch,
                         S3ProxyProperties props, Clock clock) {
        this.secrets = Caffeine.newBuilder().expireAfterWrite(props.secretCacheTtl()).maximumSize(10_000)
                .buildAsync((key, executor) -> fetch.apply(key));
        this.clock = clock;
    }

    public Mono<Authorized> authenticate(ServerRequest r) {
        URI uri = r.uri();
        SignedRequest signed = new SignedRequest(r.method().name(), uri.getRawPath(), uri.getRawQuery(),
                headers(r));
        String accessKey = accessKeyOf(signed);
        Mono<Optional<String>> secret = accessKey == null ? Mono.just(Optional.empty())
                : Mono.fromFuture(() -> secrets.get(accessKey)).onErrorMap(e -> new S3Exception(
                S3Error.SERVICE_UNAVAILABLE, "the key store (MDS) did not answer: retry shortly", e));
        return secret.map(s -> authorized(SigV4.verify(signed, key -> s, clock.instant()), signed, r))
                .onErrorMap(S3AuthException.class, e -> new S3Exception(e.code(), e.httpStatus(), e.getMessage(), e));
    }

    private static Authorized authorized(Verified v, SignedRequest signed, ServerRequest r) {
        long declared = v.decodedContentLength().isPresent() ? v.decodedContentLength().getAsLong()
                : v.payloadMode().isStreaming() ? -1 : r.headers().contentLength().orElse(-1);
        BodyDigestVerifier.forRequest(v, signed); // refuses a malformed Content-MD5 before the body is read
        Function<Flux<DataBuffer>, Flux<ByteBuffer>> body = raw -> Flux.defer(() -> {
            // Both checkers hand data on before the end of the body proves it: a failed finish() ends the Flux in
            // error, and everything downstream (a PUT's staged file) is thrown away.
            BodyDigestVerifier digests = BodyDigestVerifier.forRequest(v, signed);
            Flux<ByteBuffer> payload = copies(raw);
            if (v.payloadMode().isStreaming()) {
                AwsChunkedDecoder decoder = AwsChunkedDecoder.forRequest(v);
                payload = payload.concatMapIterable(decoder::feed).concatWith(Mono.fromRunnable(decoder::finish));
            }
            return payload.doOnNext(digests::update).concatWith(Mono.fromRunnable(digests::finish));
        }).onErrorMap(S3AuthException.class, RequestAuthenticator::asS3);
        return new Authorized(v.accessKey(), body, declared, r.headers().firstHeader("Content-MD5") != null
                || signed.headers().keySet().stream().anyMatch(h -> h.toLowerCase(java.util.Locale.ROOT)
                .startsWith("x-amz-checksum-")));
    }

    /** The headers as SigV4 reads them: every value of every name as received. */
    private static java.util.Map<String, java.util.List<String>> headers(ServerRequest r) {
        java.util.Map<String, java.util.List<String>> all = new java.util.HashMap<>();
        r.headers().asHttpHeaders().forEach((name, values) -> all.merge(name, values, (a, b) -> {
            java.util.List<String> both = new java.util.ArrayList<>(a);
            both.addAll(b);
            return both;
        }));
        return all;
    }

    /** Each network buffer copied to the heap and released at once, so the payload outlives the read. */
    private static Flux<ByteBuffer> copies(Flux<DataBuffer> raw) {
        return raw.map(buf -> {
            try {
                ByteBuffer copy = ByteBuffer.allocate(buf.readableByteCount());
                buf.toByteBuffer(copy);
                return copy;
            } finally {
                DataBufferUtils.release(buf);
            }
        });
    }

    /** The access key a request claims, to fetch its secret before the signature is checked; null if none. */
    static String accessKeyOf(SignedRequest r) {
        Optional<String> header = r.header("Authorization");
        if (header.isPresent()) {
            Matcher m = HEADER_CREDENTIAL.matcher(header.get());
            return m.find() ? m.group(1) : null;
        }
        for (String pair : r.rawQuery().split("&")) {
            if (pair.startsWith("X-Amz-Credential=")) {
                String credential = URLDecoder.decode(pair.substring("X-Amz-Credential=".length()),
                        StandardCharsets.UTF_8);
                int slash = credential.indexOf('/');
                return slash > 0 ? credential.substring(0, slash) : null;
            }
        }
        return null;
    }

    private static S3Exception asS3(S3AuthException e) {
        return new S3Exception(e.code(), e.httpStatus(), e.getMessage(), e);
    }
}
