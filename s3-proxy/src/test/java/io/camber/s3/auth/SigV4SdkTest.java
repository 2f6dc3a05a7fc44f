package io.camber.s3.auth;

import static io.camber.s3.auth.SdkReference.SECRETS;
import static io.camber.s3.auth.SdkReference.SIGNED_AT;
import static io.camber.s3.auth.SdkReference.request;
import static io.camber.s3.auth.SdkReference.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/** Requests signed by the AWS SDK v2 signer pass {@link SigV4#verify}; tampered ones are refused with S3's code. */
class SigV4SdkTest {

    private static final byte[] BODY = "hello camber".getBytes(StandardCharsets.UTF_8);

    private static SdkReference.Signed headerSigned(String key, boolean payloadSigning) {
        return sign(request(SdkHttpMethod.PUT, "/bucket/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key))
                        .putHeader("Content-Length", String.valueOf(BODY.length))
                        .putHeader("x-amz-meta-colour", "  deep   blue ")
                        .putHeader("Content-Type", "text/plain")
                        .build(), BODY,
                b -> b.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, payloadSigning));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain.txt", "with space/and+plus", "tilde~and=equals&amp", "ünïcødé/日本語.txt",
            "star*paren(1)'quote'!", "percent%25literal", "a//double//slash/", "trailing space "})
    void acceptsSdkSignedKeysWithAwkwardCharacters(String key) {
        SdkReference.Signed signed = headerSigned(key, true);

        Verified verified = SigV4.verify(signed.request(), SECRETS, SIGNED_AT);

        assertThat(verified.accessKey()).isEqualTo(SdkReference.ACCESS_KEY);
        assertThat(verified.credential().region()).isEqualTo("eu-camber-1");
        assertThat(verified.payloadMode()).isEqualTo(PayloadMode.SHA256);
        assertThat(verified.expectedSha256()).contains(Hashing.hex(Hashing.sha256().digest(BODY)));
        assertThat(verified.presigned()).isFalse();
    }

    @Test
    void acceptsUnsignedPayloadAndExposesTheSeedSignature() {
        SdkReference.Signed signed = headerSigned("k", false);

        Verified verified = SigV4.verify(signed.request(), SECRETS, SIGNED_AT.plus(Duration.ofMinutes(14)));

        assertThat(verified.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);
        assertThat(verified.expectedSha256()).isEmpty();
        assertThat(signed.request().header("Authorization").orElseThrow())
                .endsWith("Signature=" + verified.seedSignature());
        assertThat(verified.timestamp()).isEqualTo("20250301T120000Z");
        assertThat(verified.scope()).isEqualTo("20250301/eu-camber-1/s3/aws4_request");
    }

    @Test
    void acceptsSdkSignedQueryParametersIncludingOnesWithoutValue() {
        SdkReference.Signed signed = sign(request(SdkHttpMethod.GET, "/bucket")
                .putRawQueryParameter("list-type", "2")
                .putRawQueryParameter("prefix", "photos/2024 summer+fun")
                .putRawQueryParameter("delimiter", "/")
                .putRawQueryParameter("start-after", "ü~*")
                .putRawQueryParameter("versions", (String) null)
                .build(), null, b -> { });

        assertThat(signed.request().rawQuery()).contains("versions");
        assertThat(SigV4.verify(signed.request(), SECRETS, SIGNED_AT).accessKey()).isEqualTo(SdkReference.ACCESS_KEY);
    }

    @Test
    void acceptsBareQueryParameterSentWithoutEquals() {
        SdkReference.Signed signed = sign(request(SdkHttpMethod.GET, "/bucket").putRawQueryParameter("acl", "")
                .build(), null, b -> { });

        assertThat(SigV4.verify(signed.withQuery("acl").request(), SECRETS, SIGNED_AT).accessKey())
                .isEqualTo(SdkReference.ACCESS_KEY);
    }

    @Test
    void refusesTamperedRequests() {
        SdkReference.Signed signed = headerSigned("photo.jpg", true);

        assertRefused(signed.withHeader("x-amz-meta-colour", "red"), "SignatureDoesNotMatch", 403);
        assertRefused(signed.withHeader("Content-Type", "text/html"), "SignatureDoesNotMatch", 403);
        assertRefused(signed.withPath("/bucket/photo.jpeg"), "SignatureDoesNotMatch", 403);
        assertRefused(signed.withQuery("acl="), "SignatureDoesNotMatch", 403);
        assertRefused(signed.withHeader("x-amz-content-sha256", Hashing.EMPTY_SHA256), "SignatureDoesNotMatch", 403);
    }

    @Test
    void refusesWrongSecretAndUnknownKey() {
        SdkReference.Signed wrongSecret = sign(request(SdkHttpMethod.GET, "/bucket/k").build(), null,
                "not-the-secret", b -> { });
        assertRefused(wrongSecret, "SignatureDoesNotMatch", 403);

        assertThatThrownBy(() -> SigV4.verify(headerSigned("k", true).request(), key -> java.util.Optional.empty(),
                SIGNED_AT)).isInstanceOfSatisfying(S3AuthException.class,
                        e -> assertThat(e.code()).isEqualTo("InvalidAccessKeyId"));
    }

    @Test
    void refusesUnsignedAmzHeaderMissingContentSha256AndAnonymous() {
        SdkReference.Signed signed = headerSigned("k", true);

        assertRefused(signed.withHeader("x-amz-acl", "public-read"), "AccessDenied", 403);
        assertRefused(signed.withoutHeader("x-amz-content-sha256"), "InvalidRequest", 400);
        assertRefused(signed.withHeader("x-amz-content-sha256", "not-a-hash"), "InvalidArgument", 400);
        assertRefused(signed.withoutHeader("Authorization"), "AccessDenied", 403);
        assertRefused(signed.withHeader("Authorization", "AWS AKID:c2lnbmF0dXJl"), "InvalidRequest", 400);
        assertRefused(signed.withHeader("Authorization", "AWS4-HMAC-SHA256 Credential=x"),
                "AuthorizationHeaderMalformed", 400);
    }

    @Test
    void refusesClockSkewBeyondFifteenMinutes() {
        SdkReference.Signed signed = headerSigned("k", true);

        assertThat(SigV4.verify(signed.request(), SECRETS, SIGNED_AT.minus(Duration.ofMinutes(15))).accessKey())
                .isEqualTo(SdkReference.ACCESS_KEY);
        assertThatThrownBy(() -> SigV4.verify(signed.request(), SECRETS, SIGNED_AT.plus(Duration.ofMinutes(16))))
                .isInstanceOfSatisfying(S3AuthException.class,
                        e -> assertThat(e.code()).isEqualTo("RequestTimeTooSkewed"));
    }

    @Test
    void refusesCredentialScopeForAnotherServiceOrDate() {
        SdkReference.Signed signed = headerSigned("k", true);
        String auth = signed.request().header("Authorization").orElseThrow();

        assertRefused(signed.withHeader("Authorization", auth.replace("/s3/", "/ec2/")),
                "AuthorizationHeaderMalformed", 400);
        assertRefused(signed.withHeader("Authorization", auth.replace("/20250301/", "/20250302/")),
                "AuthorizationHeaderMalformed", 400);
        assertRefused(signed.withHeader("Authorization", auth.replace("aws4_request", "aws5_request")),
                "AuthorizationHeaderMalformed", 400);
    }

    private static SdkReference.Signed presigned(Duration expiry) {
        return sign(request(SdkHttpMethod.GET, "/bucket/report%202024.pdf")
                        .putRawQueryParameter("response-content-type", "application/pdf").build(), null,
                b -> b.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expiry)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    }

    @Test
    void acceptsPresignedUrlUntilItExpires() {
        SdkReference.Signed signed = presigned(Duration.ofHours(1));

        Verified verified = SigV4.verify(signed.request(), SECRETS, SIGNED_AT.plus(Duration.ofMinutes(59)));

        assertThat(verified.presigned()).isTrue();
        assertThat(verified.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);
        assertThat(signed.request().header("Authorization")).isEmpty();
        assertThatThrownBy(() -> SigV4.verify(signed.request(), SECRETS, SIGNED_AT.plus(Duration.ofMinutes(61))))
                .isInstanceOfSatisfying(S3AuthException.class, e -> {
                    assertThat(e.code()).isEqualTo("AccessDenied");
                    assertThat(e.getMessage()).startsWith("Request has expired");
                });
    }

    @Test
    void acceptsPresignedUrlOfExactlySevenDays() {
        SdkReference.Signed signed = presigned(Duration.ofDays(7));

        Instant lastSecond = SIGNED_AT.plus(Duration.ofDays(7));
        assertThat(SigV4.verify(signed.request(), SECRETS, lastSecond).presigned()).isTrue();
    }

    @Test
    void refusesPresignedUrlTamperedOrLongerThanSevenDays() {
        SdkReference.Signed signed = presigned(Duration.ofHours(1));
        String query = signed.request().rawQuery();

        assertRefused(signed.withQuery(query.replace("application%2Fpdf", "text%2Fhtml")), "SignatureDoesNotMatch",
                403);
        assertRefused(signed.withQuery(query.replace("X-Amz-Expires=3600", "X-Amz-Expires=7200")),
                "SignatureDoesNotMatch", 403);
        assertRefused(signed.withQuery(query.replace("X-Amz-Expires=3600", "X-Amz-Expires=604801")),
                "AuthorizationQueryParametersError", 400);
        assertRefused(signed.withQuery(query.replace("X-Amz-Expires=3600", "X-Amz-Expires=0")),
                "AuthorizationQueryParametersError", 400);
        assertRefused(signed.withPath("/bucket/report%202025.pdf"), "SignatureDoesNotMatch", 403);
        assertRefused(signed.withHeader("Authorization", "AWS4-HMAC-SHA256 Credential=a/b/c/s3/aws4_request,"
                + " SignedHeaders=host, Signature=00"), "InvalidArgument", 400);
    }

    static void assertRefused(SdkReference.Signed signed, String code, int status) {
        assertThatThrownBy(() -> SigV4.verify(signed.request(), SECRETS, SIGNED_AT))
                .isInstanceOfSatisfying(S3AuthException.class, e -> {
                    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
                    assertThat(e.httpStatus()).isEqualTo(status);
                    assertThat(e.getMessage()).doesNotContain(SdkReference.SECRET);
                });
    }
}
