package io.camber.mds.raft;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.S3KeyInfo;
import io.camber.common.api.S3KeySecret;
import io.camber.mds.s3.S3KeyRecord;
import io.camber.mds.s3.S3Keys;
import io.camber.server.codec.Json;
import io.camber.server.rocks.RocksStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static io.camber.common.ByteSizes.MIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * S3 key commands through the MDS state machine's own apply, one committed batch per entry as Ratis drives it, on
 * real RocksDB stores: what replicas hold after create and delete, after a restart, and from a snapshot.
 */
class S3KeyCommandsTest {
    private static final long MEMORY = 16 * MIB;
    private static final S3KeyRecord BACKUP = new S3KeyRecord("CK0000000000000000B1", "s".repeat(39) + "/",
            "backup", 1_700_000_000_000L);
    private static final S3KeyRecord CI = new S3KeyRecord("CK0000000000000000C1", "t".repeat(39) + "+", "",
            1_700_000_000_001L);

    @TempDir
    Path dir;
    private final Replica a = new Replica();
    private final Replica b = new Replica();

    @BeforeEach
    void open() {
        a.open(dir.resolve("a"));
        b.open(dir.resolve("b"));
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void createdKeysAreServedWithTheirSecretAndListedWithout() {
        assertThat(a.apply(new MdsCommand.CreateS3Key(BACKUP)).code()).isNull();
        assertThat(a.apply(new MdsCommand.CreateS3Key(CI)).code()).isNull();

        assertThat(a.machine.s3Keys().secret(BACKUP.accessKey()))
                .isEqualTo(new S3KeySecret(BACKUP.accessKey(), BACKUP.secretKey(), "backup"));
        assertThat(a.query(new MdsQuery.ListS3Keys(), S3KeyInfo[].class)).containsExactly(
                new S3KeyInfo(BACKUP.accessKey(), "backup", Instant.ofEpochMilli(BACKUP.createdAtMillis())),
                new S3KeyInfo(CI.accessKey(), "", Instant.ofEpochMilli(CI.createdAtMillis())));
        assertThat(a.query(new MdsQuery.GetS3KeySecret(CI.accessKey()), S3KeySecret.class).secretKey())
                .isEqualTo(CI.secretKey());
    }

    @Test
    void aDeletedKeyIsGoneAndUnknownOrTakenIdsAreRefusedWithoutChangingAnything() {
        a.apply(new MdsCommand.CreateS3Key(BACKUP));
        List<String> before = authFamily(a.store);
        Reply taken = a.apply(new MdsCommand.CreateS3Key(new S3KeyRecord(BACKUP.accessKey(), "x".repeat(40), "", 5)));
        assertThat(taken.code()).isEqualTo(ErrorCode.ALREADY_EXISTS.name());
        Reply unknown = a.apply(new MdsCommand.DeleteS3Key(CI.accessKey()));
        assertThat(unknown.code()).isEqualTo(ErrorCode.NOT_FOUND.name());
        assertThat(a.machine.s3Keys().secret(BACKUP.accessKey()).secretKey()).isEqualTo(BACKUP.secretKey());
        assertThat(authFamily(a.store)).isEqualTo(before).hasSize(1);

        assertThat(a.apply(new MdsCommand.DeleteS3Key(BACKUP.accessKey())).code()).isNull();
        assertThat(a.machine.s3Keys().byAccessKey()).isEmpty();
        assertThat(a.query(new MdsQuery.ListS3Keys(), S3KeyInfo[].class)).isEmpty();
        assertThat(a.queryError(new MdsQuery.GetS3KeySecret(BACKUP.accessKey()))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void replicasApplyingTheSameEntriesHoldTheSameBytes() {
        for (Replica r : List.of(a, b)) {
            r.apply(new MdsCommand.CreateS3Key(BACKUP));
            r.apply(new MdsCommand.CreateS3Key(CI));
            r.apply(new MdsCommand.DeleteS3Key(CI.accessKey()));
            r.apply(new MdsCommand.CreateS3Key(CI));
        }
        assertThat(a.store.digest()).isEqualTo(b.store.digest());
        assertThat(a.machine.s3Keys()).isEqualTo(b.machine.s3Keys());
    }

    @Test
    void keysSurviveARestartAndTravelInASnapshot() {
        a.apply(new MdsCommand.CreateS3Key(BACKUP));
        a.apply(new MdsCommand.CreateS3Key(CI));
        a.apply(new MdsCommand.DeleteS3Key(CI.accessKey()));
        S3Keys applied = a.machine.s3Keys();
        Path checkpoint = dir.resolve("checkpoint");
        a.store.checkpoint(checkpoint);

        a.close();
        a.open(dir.resolve("a"));
        assertThat(a.machine.s3Keys()).as("after a restart").isEqualTo(applied);

        Replica installed = new Replica();
        installed.open(dir.resolve("installed"), checkpoint); // what a snapshot install swaps in
        try {
            assertThat(installed.machine.s3Keys()).as("from the snapshot").isEqualTo(applied);
            assertThat(installed.machine.s3Keys().secret(BACKUP.accessKey()).secretKey())
                    .isEqualTo(BACKUP.secretKey());
        } finally {
            installed.close();
        }
    }

    @Test
    void aLoggedCreateNeverCarriesTheSecretIntoToString() {
        MdsCommand create = Json.read(Json.write(new MdsCommand.CreateS3Key(BACKUP)), MdsCommand.class);
        assertThat(create).isEqualTo(new MdsCommand.CreateS3Key(BACKUP));
        assertThat(create.toString()).contains(BACKUP.accessKey()).doesNotContain(BACKUP.secretKey());
    }

    /** What the auth column family holds (the store's digest also covers the applied index, which always moves). */
    private static List<String> authFamily(RocksStore store) {
        List<String> out = new java.util.ArrayList<>();
        store.scan(Keys.AUTH, new byte[0], Integer.MAX_VALUE, (k, v) -> out.add(new String(k) + "=" + new String(v)));
        return out;
    }

    /** One replica: a state machine over its own store, fed entries as Ratis would. */
    private static final class Replica {
        MdsStateMachine machine;
        RocksStore store;
        long index;

        void open(Path path) {
            open(path, path.resolve("db"));
        }

        void open(Path path, Path db) {
            machine = new MdsStateMachine(path, MEMORY);
            store = new RocksStore(db, Keys.ALL, MEMORY);
            index = store.lastApplied()[1];
            machine.loaded(store);
        }

        Reply apply(MdsCommand command) {
            RocksStore.Batch batch = store.batch();
            byte[] reply;
            try {
                reply = machine.apply(Json.write(command), store, batch, ++index);
            } catch (CamberException e) {
                batch = store.batch(); // as RocksStateMachine does: a refused command changes nothing
                reply = Reply.error(e);
            }
            store.commit(batch, 1, index);
            return Json.read(reply, Reply.class);
        }

        <T> T query(MdsQuery query, Class<T> type) {
            return Reply.decode(machine.query(Json.write(query), store), type);
        }

        ErrorCode queryError(MdsQuery query) {
            try {
                query(query, Object.class);
                return null;
            } catch (CamberException e) {
                return e.code();
            }
        }

        void close() {
            store.close();
        }
    }
}
