package io.camber.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A plain body is checked against x-amz-content-sha256, Content-MD5 and x-amz-checksum-* headers. */
class BodyDigestVerifierTest {

    private static final byte[] BODY = "the quick brown fox".getBytes(StandardCharsets.UTF_8);

    private static Verified signedPayload(String sha256) {
        return new Verified("AK", new CredentialScope("AK", "20250301", "r", "s3", "aws4_request"),
                "20250301T000000Z", new byte[32], "0".repeat(64), PayloadMode.SHA256, Optional.of(sha256),
                Optional.empty(), OptionalLong.empty(), false);
    }

    private static SignedRequest withHeaders(Map<String, List<String>> headers) {
        return new SignedRequest("PUT", "/b/k", "", headers);
    }

    private static void feedInTwo(BodyDigestVerifier verifier, byte[] body) {
        verifier.update(ByteBuffer.wrap(body, 0, 7));
        verifier.update(ByteBuffer.wrap(body, 7, body.length - 7));
    }

    @Test
    void checksSha256Md5AndFlexibleChecksum() throws Exception {
        String sha = Hashing.hex(Hashing.sha256().digest(BODY));
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(BODY));
        String sha1 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(BODY));
        SignedRequest request = withHeaders(Map.of("Content-MD5", List.of(md5), "x-amz-checksum-sha1", List.of(sha1)));

        BodyDigestVerifier good = BodyDigestVerifier.forRequest(signedPayload(sha), request);
        feedInTwo(good, BODY);
        assertThatCode(good::finish).doesNotThrowAnyException();

        byte[] other = "the quick brown fax".getBytes(StandardCharsets.UTF_8);
        assertFinish(BodyDigestVerifier.forRequest(signedPayload(sha), withHeaders(Map.of())), other,
                "XAmzContentSHA256Mismatch");
        assertFinish(BodyDigestVerifier.forRequest(signedPayload(Hashing.hex(Hashing.sha256().digest(other))),
                withHeaders(Map.of("Content-MD5", List.of(md5)))), other, "BadDigest");
        assertFinish(BodyDigestVerifier.forRequest(signedPayload(Hashing.hex(Hashing.sha256().digest(other))),
                withHeaders(Map.of("x-amz-checksum-sha1", List.of(sha1)))), other, "BadDigest");
    }

    @Test
    void refusesContentMd5ThatIsNotSixteenBytesOfBase64() {
        for (String bad : List.of("not base64!", Base64.getEncoder().encodeToString(new byte[15]))) {
            assertThatThrownBy(() -> BodyDigestVerifier.forRequest(signedPayload(Hashing.EMPTY_SHA256),
                    withHeaders(Map.of("Content-MD5", List.of(bad)))))
                    .isInstanceOfSatisfying(S3AuthException.class, e -> assertThat(e.code()).isEqualTo("InvalidDigest"));
        }
    }

    private static void assertFinish(BodyDigestVerifier verifier, byte[] body, String code) {
        feedInTwo(verifier, body);
        assertThatThrownBy(verifier::finish)
                .isInstanceOfSatisfying(S3AuthException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
