package io.camber.common.auth;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3CredentialTest {

    @Test
    void generatedPairsHaveTheAwsShapesAndDiffer() {
        Set<String> ids = new HashSet<>();
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            S3Credential c = S3Credential.generate();
            assertThat(c.accessKey()).matches("CK[A-Z0-9]{18}");
            assertThat(c.secretKey()).matches("[A-Za-z0-9+/]{40}");
            ids.add(c.accessKey());
            secrets.add(c.secretKey());
        }
        assertThat(ids).hasSize(200);
        assertThat(secrets).hasSize(200);
    }

    @Test
    void onlyWellFormedIdsAreAccessKeys() {
        assertThat(S3Credential.isAccessKey("CK0123456789ABCDEFGH")).isTrue();
        assertThat(S3Credential.isAccessKey("AKIA0123456789ABCDEF")).as("AWS' prefix").isFalse();
        assertThat(S3Credential.isAccessKey("CK0123456789abcdefgh")).as("lower case").isFalse();
        assertThat(S3Credential.isAccessKey("CK0123456789ABCDEFG")).as("19 characters").isFalse();
        assertThat(S3Credential.isAccessKey("CK0123456789ABCDEF/H")).isFalse();
        assertThat(S3Credential.isAccessKey(null)).isFalse();
        assertThat(S3Credential.describe("x".repeat(100))).hasSizeLessThan(200).contains("camber s3 key ls");
        assertThatThrownBy(() -> new S3Credential("nope", "x".repeat(40))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSecretNeverShowsInToString() {
        S3Credential c = S3Credential.generate();
        assertThat(c.toString()).contains(c.accessKey()).doesNotContain(c.secretKey());
    }
}
