package io.camber.chunk.integrity;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * When and how fast the scrub compares replicas ({@code camber.chunk.scrub.*}).
 *
 * @param interval time between the starts of two full passes over the copysets led here (Ceph deep-scrubs weekly;
 *                 a day keeps silent corruption from outliving its good copies for long)
 * @param rate     bytes per second each replica reads for the scrub, so foreground IO keeps the disk
 */
public record ScrubSettings(@DefaultValue("24h") Duration interval, @DefaultValue("32MB") DataSize rate) {
    public ScrubSettings {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("camber.chunk.scrub.interval must be positive, got " + interval);
        }
        if (rate == null || rate.toBytes() < 4096) {
            throw new IllegalArgumentException("camber.chunk.scrub.rate must be at least 4KB (per second), got " + rate);
        }
    }

    public static ScrubSettings defaults() {
        return new ScrubSettings(Duration.ofHours(24), DataSize.ofMegabytes(32));
    }
}
