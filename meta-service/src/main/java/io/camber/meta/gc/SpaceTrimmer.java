package io.camber.meta.gc;

import io.camber.meta.fs.Extent;

import java.util.List;

/** Makes volume space read as zeros, durably, before a partition may hand it out again. */
public interface SpaceTrimmer {
    /**
     * Returns once every extent's volume range of the file system's data volume reads as zeros on a majority of
     * each copyset; throws when that is not certain (the space then stays unreleased and is tried again).
     */
    void trim(long fsId, List<Extent> extents) throws Exception;
}
