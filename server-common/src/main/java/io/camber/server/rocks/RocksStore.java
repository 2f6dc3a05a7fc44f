package io.camber.server.rocks;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Owns one RocksDB instance and every native handle it needs, closed in reverse order.
 * Memory is bounded by one shared block cache and a write buffer manager charged to it.
 */
public final class RocksStore implements AutoCloseable {
    /** Column family that holds the last applied Raft index, written in the same batch as the state. */
    public static final String META = "default";
    private static final byte[] LAST_APPLIED = "raft.last-applied".getBytes();

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final LRUCache cache;
    private final WriteBufferManager writeBuffers;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final Map<String, ColumnFamilyHandle> families = new LinkedHashMap<>();

    /** Opens (creating if needed) the store with the given column families and memory budget. */
    public RocksStore(Path dir, List<String> columnFamilies, long memoryBudgetBytes) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            cache = new LRUCache(memoryBudgetBytes);
            writeBuffers = new WriteBufferManager(memoryBudgetBytes / 2, cache);
            dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                    .setWriteBufferManager(writeBuffers).setMaxOpenFiles(512).setKeepLogFileNum(5);
            cfOptions = new ColumnFamilyOptions()
                    .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setCacheIndexAndFilterBlocks(true));
            // The Raft log is the durable record and is fsync'd; the WAL only has to survive a process kill.
            writeOptions = new WriteOptions();
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
            for (String name : columnFamilies) {
                if (!name.equals(META)) {
                    descriptors.add(new ColumnFamilyDescriptor(name.getBytes(), cfOptions));
                }
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
            for (int i = 0; i < descriptors.size(); i++) {
                families.put(new String(descriptors.get(i).getName()), handles.get(i));
            }
        } catch (Exception e) {
            throw new CamberException(ErrorCode.INTERNAL, "cannot open RocksDB at " + dir + ": " + e.getMessage()
                    + " (is another process using this data directory?)");
        }
    }

    public Path dir() {
        return dir;
    }

    private ColumnFamilyHandle cf(String name) {
        ColumnFamilyHandle handle = families.get(name);
        if (handle == null) {
            throw new IllegalArgumentException("unknown column family " + name);
        }
        return handle;
    }

    /** Reads one value, or null. */
    public byte[] get(String family, byte[] key) {
        try {
            return db.get(cf(family), key);
        } catch (RocksDBException e) {
            throw failure("get", e);
        }
    }

    /** Visits every key that starts with the prefix, in key order, until the visitor has seen limit entries. */
    public void scan(String family, byte[] prefix, int limit, BiConsumer<byte[], byte[]> visitor) {
        scan(family, prefix, prefix, limit, visitor);
    }

    /**
     * Visits the keys that start with the prefix from the first at or after {@code from}, in key order, until the
     * visitor has seen limit entries: one page of a long listing without re-reading the pages before it.
     */
    public void scan(String family, byte[] prefix, byte[] from, int limit, BiConsumer<byte[], byte[]> visitor) {
        try (ReadOptions options = new ReadOptions(); RocksIterator it = db.newIterator(cf(family), options)) {
            int seen = 0;
            for (it.seek(from); it.isValid() && seen < limit; it.next()) {
                byte[] key = it.key();
                if (!startsWith(key, prefix)) {
                    break;
                }
                visitor.accept(key, it.value());
                seen++;
            }
        }
    }

    /** A batch of changes applied atomically by {@link #commit}. */
    public Batch batch() {
        return new Batch();
    }

    /** Writes the batch together with the Raft index it applies, atomically. */
    public void commit(Batch batch, long term, long index) {
        try {
            batch.batch.put(cf(META), LAST_APPLIED, ByteBuffer.allocate(16).putLong(term).putLong(index).array());
            db.write(writeOptions, batch.batch);
            batch.afterCommit.forEach(Runnable::run);
        } catch (RocksDBException e) {
            throw failure("write", e);
        } finally {
            batch.batch.close();
        }
    }

    /** The (term, index) last committed with {@link #commit}, or (0, -1) for a new store. */
    public long[] lastApplied() {
        byte[] v = get(META, LAST_APPLIED);
        if (v == null) {
            return new long[] {0, -1};
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        return new long[] {b.getLong(), b.getLong()};
    }

    /** Flushes memtables to SST files and writes a consistent checkpoint (hard links) into target. */
    public void checkpoint(Path target) {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true); Checkpoint cp = Checkpoint.create(db)) {
            db.flush(flush, new ArrayList<>(families.values()));
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw failure("checkpoint", e);
        }
    }

    /** SHA-256 over every key and value of every column family: equal digests mean equal state. */
    public String digest() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, ColumnFamilyHandle> e : families.entrySet()) {
                sha.update(e.getKey().getBytes());
                scan(e.getKey(), new byte[0], Integer.MAX_VALUE, (k, v) -> {
                    sha.update(k);
                    sha.update(v);
                });
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Approximate on-disk size of live SST files in bytes. */
    public long liveDataBytes() {
        return sumProperty("rocksdb.live-sst-files-size");
    }

    /** Bytes held in memtables across column families. */
    public long memtableBytes() {
        return sumProperty("rocksdb.cur-size-all-mem-tables");
    }

    /** Bytes held by the shared block cache (which memtables are charged to as well). */
    public long blockCacheBytes() {
        return cache.getUsage();
    }

    private long sumProperty(String property) {
        long sum = 0;
        try {
            for (ColumnFamilyHandle h : families.values()) {
                sum += db.getLongProperty(h, property);
            }
        } catch (RocksDBException e) {
            return -1;
        }
        return sum;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private CamberException failure(String op, RocksDBException e) {
        return new CamberException(ErrorCode.INTERNAL, "RocksDB " + op + " failed in " + dir + ": " + e.getMessage());
    }

    @Override
    public void close() {
        families.values().forEach(ColumnFamilyHandle::close);
        db.close();
        writeOptions.close();
        cfOptions.close();
        dbOptions.close();
        writeBuffers.close();
        cache.close();
    }

    /** Changes collected while one command is applied. */
    public final class Batch {
        private final WriteBatch batch = new WriteBatch();
        private final List<Runnable> afterCommit = new ArrayList<>();

        /** Runs the action once the batch is durable in RocksDB: in-memory views change only then. */
        public void afterCommit(Runnable action) {
            afterCommit.add(action);
        }

        public void put(String family, byte[] key, byte[] value) {
            try {
                batch.put(cf(family), key, value);
            } catch (RocksDBException e) {
                throw failure("put", e);
            }
        }

        public void delete(String family, byte[] key) {
            try {
                batch.delete(cf(family), key);
            } catch (RocksDBException e) {
                throw failure("delete", e);
            }
        }
    }
}
