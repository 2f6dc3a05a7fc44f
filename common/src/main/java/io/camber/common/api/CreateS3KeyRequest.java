package io.camber.common.api;

/** Creates an S3 access key; name is an optional free label (who or what holds it), at most 128 characters. */
public record CreateS3KeyRequest(String name) {
}
