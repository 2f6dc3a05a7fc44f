package io.camber.common.api;

import java.time.Instant;

/** An S3 access key as listed: never its secret. */
public record S3KeyInfo(String accessKey, String name, Instant createdAt) {
}
