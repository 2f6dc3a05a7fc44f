package io.camber.common.api;

/** An S3 access key with its secret, as the s3-proxy fetches it to verify Signature V4 (service and admin keys). */
public record S3KeySecret(String accessKey, String secretKey, String name) {

    @Override
    public String toString() {
        return "S3KeySecret[" + accessKey + ", " + name + "]"; // never the secret
    }
}
