package io.camber.s3.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Signs requests with the AWS SDK for Java v2 signer, configured as the S3 client does, and hands them over as wire-level {@link SignedRequest}s. */
final class SdkReference {

    static final String ACCESS_KEY = "AKIDCAMBEREXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final Instant SIGNED_AT = Instant.parse("2025-03-01T12:00:00Z");
    static final SecretLookup SECRETS = key -> key.equals(ACCESS_KEY) ? Optional.of(SECRET) : Optional.empty();
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    /** A signed request as the server would receive it, with the encoded body the client sent. */
    record Signed(SignedRequest request, byte[] body) {

        Signed withHeader(String name, String value) {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(request.headers());
            headers.put(name, List.of(value));
            return new Signed(new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers),
                    body);
        }

        Signed withoutHeader(String name) {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(request.headers());
            headers.remove(name);
            return new Signed(new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers),
                    body);
        }

        Signed withPath(String rawPath) {
            return new Signed(new SignedRequest(request.method(), rawPath, request.rawQuery(), request.headers()),
                    body);
        }

        Signed withQuery(String rawQuery) {
            return new Signed(new SignedRequest(request.method(), request.rawPath(), rawQuery, request.headers()),
                    body);
        }
    }

    private SdkReference() {
    }

    static SdkHttpRequest.Builder request(SdkHttpMethod method, String encodedPath) {
        return SdkHttpRequest.builder().protocol("https").host("bucket.s3.eu-camber-1.example.com")
                .method(method).encodedPath(encodedPath);
    }

    /** Signs for region eu-camber-1 at {@link #SIGNED_AT}, path neither normalised nor double-encoded (as for S3). */
    static Signed sign(SdkHttpRequest request, byte[] body, String secret,
                       Consumer<SignRequest.Builder<AwsCredentialsIdentity>> properties) {
        SignRequest.Builder<AwsCredentialsIdentity> builder = SignRequest
                .builder(AwsCredentialsIdentity.create(ACCESS_KEY, secret))
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-camber-1")
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(SIGNED_AT, ZoneOffset.UTC));
        if (body != null) {
            builder.payload(ContentStreamProvider.fromByteArray(body));
        }
        properties.accept(builder);
        software.amazon.awssdk.http.auth.spi.signer.SignedRequest signed = SIGNER.sign(builder.build());
        return new Signed(onTheWire(signed.request()), signed.payload().map(SdkReference::readAll).orElse(new byte[0]));
    }

    static Signed sign(SdkHttpRequest request, byte[] body,
                       Consumer<SignRequest.Builder<AwsCredentialsIdentity>> properties) {
        return sign(request, body, SECRET, properties);
    }

    /** What an HTTP client puts on the wire: the URI's raw path and query, every header (Host included). */
    static SignedRequest onTheWire(SdkHttpRequest request) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.forEachHeader((name, values) -> headers.put(name, new ArrayList<>(values)));
        headers.putIfAbsent("Host", List.of(request.host()));
        String rawQuery = request.getUri().getRawQuery();
        return new SignedRequest(request.method().name(), request.getUri().getRawPath(), rawQuery, headers);
    }

    private static byte[] readAll(ContentStreamProvider provider) {
        try (InputStream in = provider.newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
