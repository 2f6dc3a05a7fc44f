package io.camber.mds.raft;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Column families of the MDS database and the encoding of their keys (big-endian ids sort in order). */
public final class Keys {
    /** Counters and cursors, and the last applied Raft index. */
    public static final String META = "default";
    /** The topology document (pools, zones, servers, chunk servers, logical pools). */
    public static final String TOPOLOGY = "topology";
    /** Copysets: logical pool id + copyset id. */
    public static final String COPYSETS = "copysets";
    /** Namespace entries: parent id + name. */
    public static final String DENTRIES = "dentries";
    /** Entry id to its dentry key, for lookups by id. */
    public static final String INODES = "inodes";
    /** Allocated segments: volume id + segment index. */
    public static final String SEGMENTS = "segments";
    /** Open sessions: volume id + session uuid. */
    public static final String SESSIONS = "sessions";
    /**
     * API keys (hashed), the data-token signing keys and S3 access keys (with their secrets): "apikey/" + id,
     * "signing/" + key id, "s3key/" + access key id.
     */
    public static final String AUTH = "auth";

    /** Chunks of deleted volumes not yet deleted on their copysets: logical pool id + copyset id + chunk id. */
    public static final String GARBAGE = "garbage";
    /** File systems: fs id. */
    public static final String FILESYSTEMS = "filesystems";
    /** Metadata partitions of file systems: fs id + partition id. */
    public static final String PARTITIONS = "partitions";

    public static final java.util.List<String> ALL = java.util.List.of(META, TOPOLOGY, COPYSETS, DENTRIES, INODES,
            SEGMENTS, SESSIONS, GARBAGE, FILESYSTEMS, PARTITIONS, AUTH);

    private Keys() {
    }

    public static byte[] id(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    public static byte[] ids(long a, long b) {
        return ByteBuffer.allocate(16).putLong(a).putLong(b).array();
    }

    public static byte[] idAndName(long id, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + n.length).putLong(id).put(n).array();
    }

    public static long firstId(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }

    public static long secondId(byte[] key) {
        return ByteBuffer.wrap(key, 8, 8).getLong();
    }

    public static String nameAfterId(byte[] key) {
        return new String(Arrays.copyOfRange(key, 8, key.length), StandardCharsets.UTF_8);
    }

    public static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] longValue(long v) {
        return id(v);
    }

    public static long readLong(byte[] value, long absent) {
        return value == null ? absent : ByteBuffer.wrap(value).getLong();
    }
}
