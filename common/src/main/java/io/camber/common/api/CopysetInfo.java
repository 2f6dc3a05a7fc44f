package io.camber.common.api;

import java.util.List;

/** A copyset: one Ratis group of chunk servers in distinct zones. */
public record CopysetInfo(long logicalPoolId, int copysetId, List<Long> chunkServers) {
}
