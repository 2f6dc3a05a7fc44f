package io.camber.s3.listing;

import java.time.Instant;
import java.util.List;

/**
 * One page of a listing.
 *
 * @param objects   the keys, in key order
 * @param prefixes  the common prefixes, in key order
 * @param truncated whether more keys follow
 * @param last      the last key or prefix of this page (where the next page starts after), null if empty
 */
public record ListPage(List<Listed> objects, List<String> prefixes, boolean truncated, String last) {

    /** A listed object: its key, size, modification time and ETag (without quotes). */
    public record Listed(String key, long size, Instant lastModified, String etag) {
    }
}
