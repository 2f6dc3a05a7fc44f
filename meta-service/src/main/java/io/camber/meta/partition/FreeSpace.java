package io.camber.meta.partition;

import io.camber.meta.fs.DataLayout;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.protocol.PartitionStats;
import io.camber.meta.protocol.RecordCodec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The free space of a partition's slice of the data volume, as one command sees it: a bump pointer below which
 * space has been handed out at least once, and the free runs below it (released space), kept in three column
 * families (by start, by end, by size) so that allocation and coalescing are point lookups and one seek, never a
 * scan of the whole map. Space above the bump pointer has never been written, so it reads as zeros; released space
 * was trimmed by GC before it came back, so it does too.
 *
 * <p>Allocation order: continue the file's previous extent (goal), else the smallest free run that fits, else the
 * bump pointer, else first-fit pieces from the lowest runs and whatever the bump pointer has left. Every change goes
 * through the command's {@link PartitionView}, so a refusal discards it with the rest of the command.
 */
final class FreeSpace {
    /** A run of volume space. */
    record Run(long offset, long length) {
        long end() {
            return offset + length;
        }
    }

    private static final int PAGE = 256;

    private final PartitionView view;
    /** Runs this command removed: a store scan (which cannot see the command's own writes) may still list them. */
    private int removed;

    FreeSpace(PartitionView view) {
        this.view = view;
    }

    /** The slice, set up from the partition id on first use; ENOSPC for a partition beyond the volume. */
    DataSlice slice() {
        byte[] v = view.get(PartitionSchema.PARTITION, PartitionSchema.SLICE_KEY);
        if (v != null) {
            return RecordCodec.decode(v, DataSlice.class);
        }
        PartitionStats s = view.stats();
        if (s.partitionId() >= DataLayout.PARTITIONS_WITH_SPACE) {
            throw FsException.of(FsError.ENOSPC, "partition " + s.partitionId() + " has no slice of the data volume"
                    + " (it holds " + DataLayout.PARTITIONS_WITH_SPACE + " partitions): create files in a lower"
                    + " partition");
        }
        long start = DataLayout.sliceStart(s.partitionId());
        return new DataSlice(start, start + DataLayout.SLICE_BYTES, start);
    }

    private void putDataSlice(DataSlice s) {
        view.put(PartitionSchema.PARTITION, PartitionSchema.SLICE_KEY, RecordCodec.encode(s));
    }

    /**
     * Takes bytes (whole blocks) of space, preferring to start at goal (-1 for none); the runs in the order they
     * should back the file. ENOSPC when the slice cannot hold them.
     */
    List<Run> allocate(long bytes, long goal) {
        List<Run> got = new ArrayList<>();
        long need = bytes;
        if (goal >= 0) {
            need -= takeAt(goal, need, got);
        }
        if (need > 0) {
            Run fit = bestFit(need);
            if (fit != null) {
                need -= takeAt(fit.offset(), need, got);
            }
        }
        DataSlice s = slice();
        if (need > 0 && s.end() - s.bump() >= need) {
            need -= takeAt(s.bump(), need, got);
        }
        if (need > 0) {
            need -= gather(need, got);
        }
        if (need > 0) {
            throw FsException.of(FsError.ENOSPC, "partition slice [" + s.start() + ", " + s.end() + ") of the data"
                    + " volume has " + (bytes - need) + " of the " + bytes + " bytes asked free: delete files (GC"
                    + " returns their space) or create files in another partition");
        }
        return got;
    }

    /** Takes up to need bytes starting exactly at offset (bump pointer or a free run); returns how many. */
    private long takeAt(long offset, long need, List<Run> got) {
        DataSlice s = slice();
        long taken;
        if (offset == s.bump()) {
            taken = Math.min(need, s.end() - s.bump());
            if (taken > 0) {
                putDataSlice(new DataSlice(s.start(), s.end(), s.bump() + taken));
            }
        } else {
            Long length = runAt(offset);
            if (length == null) {
                return 0;
            }
            taken = Math.min(need, length);
            removeRun(offset, length);
            if (taken < length) {
                putRun(offset + taken, length - taken);
            }
        }
        if (taken > 0) {
            got.add(new Run(offset, taken));
        }
        return taken;
    }

    /** The smallest free run of at least need bytes, or null. */
    private Run bestFit(long need) {
        Run[] found = {null};
        // Runs this command removed may still be listed by the store: skipping at most that many, one more is live.
        view.store().scan(PartitionSchema.FREE_BY_SIZE, new byte[0], PartitionSchema.twoLongs(need, 0), removed + 1,
                (k, v) -> {
                    ByteBuffer b = ByteBuffer.wrap(k);
                    long length = b.getLong();
                    long offset = b.getLong();
                    Long live = runAt(offset);
                    if (found[0] == null && live != null && live == length) {
                        found[0] = new Run(offset, length);
                    }
                });
        return found[0];
    }

    /** First-fit over the runs in volume order, then the bump pointer's remainder: space too fragmented for one run. */
    private long gather(long need, List<Run> got) {
        long left = need;
        byte[] from = PartitionSchema.id(0);
        while (left > 0) {
            List<Run> page = new ArrayList<>();
            view.store().scan(PartitionSchema.FREE_BY_START, new byte[0], from, PAGE, (k, v) ->
                    page.add(new Run(PartitionSchema.idOf(k), ByteBuffer.wrap(v).getLong())));
            for (Run r : page) {
                if (left > 0 && Long.valueOf(r.length()).equals(runAt(r.offset()))) {
                    left -= takeAt(r.offset(), left, got);
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            from = PartitionSchema.id(page.get(page.size() - 1).offset() + 1);
        }
        if (left > 0) {
            left -= takeAt(slice().bump(), left, got);
        }
        return need - left;
    }

    /**
     * Returns a range (whole blocks, handed out before) to the free space, coalescing it with the runs before and
     * after it; a range that ends at the bump pointer lowers the pointer instead.
     */
    void release(long offset, long length) {
        DataSlice s = slice();
        long start = offset;
        long end = offset + length;
        if (length <= 0 || start < s.start() || end > s.bump() || start % DataLayout.BLOCK != 0
                || length % DataLayout.BLOCK != 0 || runAt(start) != null) {
            throw FsException.of(FsError.EIO, "cannot release [" + start + ", " + end + "): not whole blocks handed"
                    + " out from slice [" + s.start() + ", " + s.bump() + "), or already free; the partition is"
                    + " inconsistent, compare its replicas");
        }
        byte[] before = view.get(PartitionSchema.FREE_BY_END, PartitionSchema.id(start));
        if (before != null) {
            long beforeStart = PartitionSchema.idOf(before);
            removeRun(beforeStart, start - beforeStart);
            start = beforeStart;
        }
        Long after = runAt(end);
        if (after != null) {
            removeRun(end, after);
            end += after;
        }
        if (end == s.bump()) {
            putDataSlice(new DataSlice(s.start(), s.end(), start));
        } else {
            putRun(start, end - start);
        }
    }

    private Long runAt(long offset) {
        byte[] v = view.get(PartitionSchema.FREE_BY_START, PartitionSchema.id(offset));
        return v == null ? null : ByteBuffer.wrap(v).getLong();
    }

    private void putRun(long offset, long length) {
        view.put(PartitionSchema.FREE_BY_START, PartitionSchema.id(offset), PartitionSchema.id(length));
        view.put(PartitionSchema.FREE_BY_END, PartitionSchema.id(offset + length), PartitionSchema.id(offset));
        view.put(PartitionSchema.FREE_BY_SIZE, PartitionSchema.twoLongs(length, offset), new byte[0]);
    }

    private void removeRun(long offset, long length) {
        view.delete(PartitionSchema.FREE_BY_START, PartitionSchema.id(offset));
        view.delete(PartitionSchema.FREE_BY_END, PartitionSchema.id(offset + length));
        view.delete(PartitionSchema.FREE_BY_SIZE, PartitionSchema.twoLongs(length, offset));
        removed++;
    }

    /** Bytes free in the runs (below the bump pointer); with the bump pointer, what the slice has left. */
    long freeRunBytes() {
        long[] sum = {0};
        view.store().scan(PartitionSchema.FREE_BY_START, new byte[0], Integer.MAX_VALUE,
                (k, v) -> sum[0] += ByteBuffer.wrap(v).getLong());
        return sum[0];
    }
}
