package io.camber.common.api;

import java.util.List;

/**
 * One metadata partition of a file system: an inode-id range, kept by a Ratis group of meta-services.
 *
 * @param start        first inode id of the range
 * @param end          first inode id past the range
 * @param metaServers  member meta-server ids
 * @param peerIds      their Raft peer ids, in the same order
 * @param addresses    their Raft addresses (host:port), where clients send metadata operations, in the same order
 * @param leader       the peer id of the member that last reported leading it; null when none did yet
 * @param inodesUsed   inodes in the partition as last reported; -1 when not reported yet
 * @param nextIno      next inode id it hands out as last reported; -1 when not reported yet
 */
public record PartitionInfo(long fsId, int partitionId, long start, long end, List<Long> metaServers,
                            List<String> peerIds, List<String> addresses, String leader, long inodesUsed,
                            long nextIno) {
}
