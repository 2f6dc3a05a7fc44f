/**
 * AWS Signature Version 4 for the S3 API as plain functions of the request: {@link io.camber.s3.auth.SigV4} checks
 * the header or presigned-URL signature before the body is read, {@link io.camber.s3.auth.AwsChunkedDecoder} decodes
 * and checks {@code aws-chunked} bodies, {@link io.camber.s3.auth.BodyDigestVerifier} checks plain bodies. Failures
 * are {@link io.camber.s3.auth.S3AuthException}s carrying the S3 error code and HTTP status to answer with.
 */
package io.camber.s3.auth;
