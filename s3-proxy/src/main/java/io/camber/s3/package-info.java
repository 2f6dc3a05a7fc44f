/**
 * The Camber s3-proxy: the S3 REST API on top of the file-system layer, so the same data is reachable
 * through S3 and through a FUSE mount. Planned here, by feature: {@code auth} (SigV4 signature checks as
 * plain functions of the request), {@code bucket} and {@code object} (buckets as top-level directories,
 * keys as paths, multipart uploads) and {@code web} (the S3 XML error vocabulary mapped from Camber codes).
 * It keeps no state of its own.
 */
package io.camber.s3;
