package io.camber.common.api;

import java.time.Instant;

/** The answer to creating an S3 access key: the only time its secret is shown. */
public record S3KeyCreated(String accessKey, String secretKey, String name, Instant createdAt) {

    @Override
    public String toString() {
        return "S3KeyCreated[" + accessKey + ", " + name + "]"; // never the secret
    }
}
