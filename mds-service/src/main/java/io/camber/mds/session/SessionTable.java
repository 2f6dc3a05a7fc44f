package io.camber.mds.session;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.OpenMode;
import io.camber.mds.namespace.Entry;
import io.camber.mds.namespace.NamespaceCommands;
import io.camber.mds.raft.Keys;
import io.camber.server.codec.Json;
import io.camber.server.rocks.RocksStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Sessions and epochs, the IO fence: a read-write open raises the volume's epoch (durably, in the
 * same batch) and fences every earlier writer, whose renewals then fail with FENCED. Shared sessions (file systems'
 * data volumes only) take the volume's epoch as it is and fence no one.
 */
public final class SessionTable {
    /**
     * The "now" of commands proposed since the MDS leader decides lease expiry on its monotonic clock
     * ({@link LeaseWatch}): every session still stored is live, whatever the proposer's wall clock says.
     * Entries logged before carry a wall-clock time and replay as they were first applied.
     */
    public static final long LEASES_BY_LEADER = Long.MIN_VALUE;

    private final RocksStore store;
    private final RocksStore.Batch batch;
    private final long index;

    public SessionTable(RocksStore store, RocksStore.Batch batch) {
        this(store, batch, 0);
    }

    /** A table whose writes are stamped with the Raft index of the command being applied. */
    public SessionTable(RocksStore store, RocksStore.Batch batch, long index) {
        this.store = store;
        this.batch = batch;
        this.index = index;
    }

    public SessionRecord open(NamespaceCommands namespace, String path, OpenMode mode, String client, String uuid,
                              long now, long leaseMillis) {
        if (mode == null) {
            throw CamberException.invalid("mode is missing: READ_WRITE, READ_ONLY or SHARED");
        }
        checkUuid(uuid);
        Entry volume = namespace.volume(path);
        checkMode(namespace, volume, mode, path);
        long epoch = volume.epoch();
        if (mode == OpenMode.READ_WRITE) {
            epoch = volume.epoch() + 1;
            namespace.put(volume.withEpoch(epoch));
            for (SessionRecord s : of(volume.id())) {
                if (s.mode() == OpenMode.READ_WRITE && !s.fenced()) {
                    write(s.fencedOff());
                }
            }
        }
        String who = client == null || client.isBlank() ? "unknown" : client.substring(0, Math.min(client.length(), 128));
        SessionRecord session = new SessionRecord(volume.id(), uuid, mode, who, epoch, leaseMillis, now + leaseMillis, false,
                index);
        return write(session);
    }

    /**
     * Extends a session's lease. An expired session is dropped instead and the answer is empty: the
     * caller replies {@link #expired} without discarding the batch, so the drop is kept and a later
     * renew (say, proposed by a replica with a slower clock) cannot bring the session back.
     */
    public Optional<SessionRecord> renewOrDrop(String sessionId, long now) {
        return renew(sessionId, now, true);
    }

    /**
     * Extends a session's lease; with byWallClock false (commands proposed since the leader decides expiry) a
     * session that is still stored is live and always renewed.
     */
    public Optional<SessionRecord> renew(String sessionId, long now, boolean byWallClock) {
        SessionRecord s = find(sessionId);
        if (s.fenced()) {
            throw new CamberException(ErrorCode.FENCED, "session " + sessionId + " was fenced: the volume was opened"
                    + " read-write by another client with a newer epoch; reopen it to write");
        }
        if (byWallClock && s.expiredAt(now)) {
            batch.delete(Keys.SESSIONS, key(s.volumeId(), s.uuid()));
            return Optional.empty();
        }
        return Optional.of(write(s.renewedAt(now)));
    }

    /**
     * Takes back a session whose lease ran out while its holder could not reach the MDS (the gateway or the MDS
     * was down, say): the same id and epoch, a new lease. A writer gets it only while the volume's epoch is still
     * its own, that is while no other writer opened the volume since; a fenced writer stays fenced. A session
     * that is still there is simply renewed.
     */
    public SessionRecord resume(NamespaceCommands namespace, String sessionId, OpenMode mode, long epoch,
                                String client, long now, long leaseMillis) {
        return resume(namespace, sessionId, mode, epoch, client, now, leaseMillis, true);
    }

    /** As above; byWallClock false for commands proposed since the leader decides expiry. */
    public SessionRecord resume(NamespaceCommands namespace, String sessionId, OpenMode mode, long epoch,
                                String client, long now, long leaseMillis, boolean byWallClock) {
        if (mode == null) {
            throw CamberException.invalid("mode is missing: READ_WRITE, READ_ONLY or SHARED");
        }
        SessionId id = SessionId.parse(sessionId);
        byte[] existing = store.get(Keys.SESSIONS, key(id.volumeId(), id.uuid()));
        if (existing != null) {
            return renew(sessionId, now, byWallClock).orElseThrow(() -> expired(sessionId));
        }
        Entry volume = namespace.volumeById(id.volumeId());
        checkMode(namespace, volume, mode, "volume " + volume.id());
        if (mode == OpenMode.READ_WRITE && volume.epoch() != epoch) {
            throw new CamberException(ErrorCode.FENCED, "session " + sessionId + " cannot be resumed: the volume was"
                    + " opened read-write by another client since (epoch " + volume.epoch() + ", not " + epoch
                    + "); reopen it to write");
        }
        String who = client == null || client.isBlank() ? "unknown" : client.substring(0, Math.min(client.length(), 128));
        SessionRecord session = new SessionRecord(volume.id(), id.uuid(), mode, who,
                mode == OpenMode.READ_WRITE ? epoch : volume.epoch(), leaseMillis, now + leaseMillis, false, index);
        return write(session);
    }

    /**
     * The sharing rule: a file system's data volume is opened SHARED only (a read-write open would fence every client
     * of the file system, and users have no business reading raw file data), and SHARED is for data volumes only
     * (on any other volume it would let two writers overwrite each other unfenced).
     */
    private static void checkMode(NamespaceCommands namespace, Entry volume, OpenMode mode, String what) {
        boolean dataVolume = namespace.isDataVolume(volume);
        if (dataVolume && mode != OpenMode.SHARED) {
            throw new CamberException(ErrorCode.FORBIDDEN, what + " is the data volume of a file system: it opens"
                    + " SHARED only, by that file system's clients; mount the file system instead");
        }
        if (!dataVolume && mode == OpenMode.SHARED) {
            throw CamberException.invalid(what + " is not a file system's data volume: SHARED is for those alone;"
                    + " open it READ_WRITE or READ_ONLY");
        }
    }

    /** The refusal of a renewal that came after the lease ended. */
    public static CamberException expired(String sessionId) {
        return new CamberException(ErrorCode.SESSION_EXPIRED, "session " + sessionId + " expired before it was"
                + " renewed; open the volume again");
    }

    public void close(String sessionId) {
        SessionRecord s = find(sessionId);
        batch.delete(Keys.SESSIONS, key(s.volumeId(), s.uuid()));
    }

    /**
     * Drops the sessions the leader found overdue, each only if it was not written since the leader looked
     * (a renewal or resume in between keeps it); returns how many were dropped.
     */
    public int expire(List<Overdue> overdue) {
        int n = 0;
        for (Overdue o : overdue) {
            byte[] key;
            try {
                SessionId id = SessionId.parse(o.sessionId());
                key = key(id.volumeId(), id.uuid());
            } catch (CamberException e) {
                continue;
            }
            byte[] v = store.get(Keys.SESSIONS, key);
            if (v != null && Json.read(v, SessionRecord.class).version() == o.version()) {
                batch.delete(Keys.SESSIONS, key);
                n++;
            }
        }
        return n;
    }

    /** A session the leader saw unrenewed for a whole lease, at the version it saw. */
    public record Overdue(String sessionId, long version) {
    }

    /** Drops every session whose lease ended before now (entries logged before the leader decided); returns how many. */
    public int expire(long now) {
        int[] n = {0};
        store.scan(Keys.SESSIONS, new byte[0], Integer.MAX_VALUE, (k, v) -> {
            if (Json.read(v, SessionRecord.class).expiredAt(now)) {
                batch.delete(Keys.SESSIONS, k);
                n[0]++;
            }
        });
        return n[0];
    }

    public boolean hasActiveWriter(long volumeId, long now) {
        return of(volumeId).stream().anyMatch(s -> s.mode() == OpenMode.READ_WRITE && !s.fenced() && !s.expiredAt(now));
    }

    public void dropAll(long volumeId) {
        of(volumeId).forEach(s -> batch.delete(Keys.SESSIONS, key(volumeId, s.uuid())));
    }

    public List<SessionRecord> of(long volumeId) {
        List<SessionRecord> out = new ArrayList<>();
        store.scan(Keys.SESSIONS, Keys.id(volumeId), Integer.MAX_VALUE, (k, v) -> out.add(Json.read(v, SessionRecord.class)));
        return out;
    }

    /**
     * One page of sessions (of one volume, or of all when volumeId is null) in session-id order: at most limit,
     * after the session with id after (or from the first when null).
     */
    public List<SessionRecord> page(Long volumeId, String after, int limit) {
        byte[] prefix = volumeId == null ? new byte[0] : Keys.id(volumeId);
        byte[] from = prefix;
        byte[] skip = null;
        if (after != null && !after.isBlank()) {
            SessionId id = SessionId.parse(after);
            if (volumeId != null && id.volumeId() != volumeId) {
                throw CamberException.invalid("after=" + after + " is a session of another volume: pass the last"
                        + " session id of the previous page");
            }
            skip = key(id.volumeId(), id.uuid());
            from = skip;
        }
        byte[] excluded = skip;
        List<SessionRecord> out = new ArrayList<>();
        // One more than asked, since the cursor's own session (if it still exists) is skipped.
        store.scan(Keys.SESSIONS, prefix, from, limit + 1, (k, v) -> {
            if (out.size() < limit && (excluded == null || !java.util.Arrays.equals(k, excluded))) {
                out.add(Json.read(v, SessionRecord.class));
            }
        });
        return out;
    }

    public List<SessionRecord> all() {
        List<SessionRecord> out = new ArrayList<>();
        store.scan(Keys.SESSIONS, new byte[0], Integer.MAX_VALUE, (k, v) -> out.add(Json.read(v, SessionRecord.class)));
        return out;
    }

    /** A session id taken apart: the volume id (hex) and the uuid. */
    private record SessionId(long volumeId, String uuid) {
        static SessionId parse(String sessionId) {
            int dash = sessionId == null ? -1 : sessionId.indexOf('-');
            try {
                String uuid = sessionId.substring(dash + 1);
                checkUuid(uuid);
                return new SessionId(Long.parseUnsignedLong(sessionId.substring(0, dash), 16), uuid);
            } catch (RuntimeException e) {
                throw CamberException.invalid("'" + sessionId + "' is not a session id");
            }
        }
    }

    private SessionRecord find(String sessionId) {
        SessionId id = SessionId.parse(sessionId);
        byte[] v = store.get(Keys.SESSIONS, key(id.volumeId(), id.uuid()));
        if (v == null) {
            throw new CamberException(ErrorCode.SESSION_EXPIRED, "session " + sessionId
                    + " does not exist (closed or expired); open the volume again");
        }
        return Json.read(v, SessionRecord.class);
    }

    /** Stores a session stamped with this command's index, and returns it as stored. */
    private SessionRecord write(SessionRecord s) {
        SessionRecord stored = s.writtenAt(index);
        batch.put(Keys.SESSIONS, key(s.volumeId(), s.uuid()), Json.write(stored));
        return stored;
    }

    private static byte[] key(long volumeId, String uuid) {
        return Keys.idAndName(volumeId, uuid);
    }

    private static void checkUuid(String uuid) {
        UUID.fromString(uuid);
    }
}
