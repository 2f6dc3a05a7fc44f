package io.camber.s3;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * The s3-proxy's settings ({@code camber.s3.*}).
 *
 * @param mds             the MDS admin endpoints (any of them serves any request)
 * @param apiKey          the service key the proxy calls the MDS with: it reads S3 secrets and mounts the file system
 * @param fileSystem      the Camber file system whose top-level directories are the buckets
 * @param region          what GetBucketLocation answers; signatures are accepted for any region
 * @param secretCacheTtl  how long a secret read from the MDS is reused: a revoked key stops working within it
 * @param maxObjectSize   the largest single PUT accepted (S3 itself caps a PUT at 5 GiB)
 * @param readPiece       how much of an object one read from the cluster fetches while a GET streams it
 * @param stagingDir      where a PUT is written before it is renamed into place: a top-level directory of the file
 *                        system that is never a bucket (a bucket name cannot start with a dot)
 * @param uploadsDir      where multipart uploads keep their parts until Complete or Abort (same rules)
 * @param sweepInterval   how often the proxy looks for leftovers to free
 * @param stagedFileExpiry a staged PUT body not written for this long is a leftover (its proxy died mid-PUT): it
 *                        is removed. Far longer than any PUT stalls, so a slow live PUT is never cut short
 * @param uploadExpiry    a multipart upload started this long ago and neither completed nor aborted is aborted;
 *                        0 keeps uploads until a client ends them (S3's own behaviour without a lifecycle rule)
 */
@ConfigurationProperties("camber.s3")
public record S3ProxyProperties(
        @DefaultValue("http://127.0.0.1:8100") List<String> mds,
        @DefaultValue("") String apiKey,
        @DefaultValue("demo") String fileSystem,
        @DefaultValue("us-east-1") String region,
        @DefaultValue("10s") Duration secretCacheTtl,
        @DefaultValue("5GB") DataSize maxObjectSize,
        @DefaultValue("1MB") DataSize readPiece,
        @DefaultValue(".s3-staging") String stagingDir,
        @DefaultValue(".s3-uploads") String uploadsDir,
        @DefaultValue("10m") Duration sweepInterval,
        @DefaultValue("24h") Duration stagedFileExpiry,
        @DefaultValue("7d") Duration uploadExpiry) {

    public S3ProxyProperties {
        if (fileSystem == null || fileSystem.isBlank()) {
            throw new IllegalArgumentException("camber.s3.file-system must name the file system that holds the "
                    + "buckets ('camber fs ls' lists them)");
        }
        for (String dir : new String[] {stagingDir, uploadsDir}) {
            if (!dir.startsWith(".") || dir.contains("/") || dir.length() < 2) {
                throw new IllegalArgumentException("camber.s3.staging-dir and uploads-dir must each be one name "
                        + "starting with a dot, so no bucket can have it; got '" + dir + "'");
            }
        }
        if (sweepInterval.compareTo(Duration.ofSeconds(1)) < 0 || stagedFileExpiry.compareTo(Duration.ofMinutes(1)) < 0
                || uploadExpiry.isNegative()) {
            throw new IllegalArgumentException("camber.s3.sweep-interval must be at least 1s, staged-file-expiry at "
                    + "least 1m and upload-expiry 0 (never) or more; got " + sweepInterval + ", " + stagedFileExpiry
                    + ", " + uploadExpiry);
        }
        if (readPiece.toBytes() < 4096 || readPiece.toBytes() > (16L << 20)) {
            throw new IllegalArgumentException("camber.s3.read-piece must be between 4KB and 16MB, not " + readPiece);
        }
    }

    /** The MDS endpoints as the admin client takes them. */
    public String mdsEndpoints() {
        return String.join(",", mds.stream().filter(u -> !u.isBlank()).toList());
    }
}
