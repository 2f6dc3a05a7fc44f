package io.camber.chunk.dataport;

import io.camber.common.api.TokenKeysInfo;
import io.camber.common.auth.VolumeToken;
import io.camber.common.chunk.ChunkRequest;
import io.camber.common.chunk.DataFrame.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TokenGateTest {
    private static final KeyPair MDS = VolumeToken.newKeyPair();
    private final AtomicLong now = new AtomicLong(1_000);
    private final TokenGate gate = new TokenGate(now::get);
    private final TokenGate.Grants grants = new TokenGate.Grants();

    @BeforeEach
    void keys() {
        gate.update(new TokenKeysInfo(true, List.of(new TokenKeysInfo.PublicKeyInfo(1,
                Base64.getEncoder().encodeToString(MDS.getPublic().getEncoded())))));
    }

    private static byte[] token(long volume, long epoch, boolean rw, long expires) {
        return new VolumeToken(1, volume, epoch, rw, expires).sign(MDS.getPrivate());
    }

    private static ByteBuffer write(long volume, long epoch) {
        ChunkRequest r = ChunkRequest.write(volume, epoch, 1, 0, ByteBuffer.allocate(4096));
        ByteBuffer header = r.encodeHeader();
        return ByteBuffer.allocate(header.remaining() + 4096).put(header).put(ByteBuffer.allocate(4096)).flip();
    }

    private static ByteBuffer read(long volume) {
        return new ChunkRequest(ChunkRequest.Op.READ, volume, 0, 1, 0, 4096, null).encodeHeader();
    }

    @Test
    void beforeTheMdsAnsweredEveryRequestIsToldToRetry() {
        TokenGate fresh = new TokenGate(now::get);
        assertThat(fresh.check(write(5, 1), grants).status()).isEqualTo(Status.RETRY);
        assertThat(fresh.present(token(5, 1, true, 2_000), grants).status()).isEqualTo(Status.RETRY);
        fresh.update(new TokenKeysInfo(false, List.of()));
        assertThat(fresh.check(write(5, 1), grants)).as("authentication off at the MDS").isNull();
    }

    @Test
    void aTokenPresentedBeforeTheKeysArrivedCountsOnceTheyDo() {
        TokenGate fresh = new TokenGate(now::get);
        assertThat(fresh.present(token(5, 1, true, 2_000), grants).status()).isEqualTo(Status.RETRY);
        assertThat(fresh.check(write(5, 1), grants).status()).isEqualTo(Status.RETRY);
        fresh.update(new TokenKeysInfo(true, List.of(new TokenKeysInfo.PublicKeyInfo(1,
                Base64.getEncoder().encodeToString(MDS.getPublic().getEncoded())))));
        assertThat(fresh.check(write(5, 1), grants)).isNull();
        assertThat(fresh.check(write(5, 2), grants).status()).isEqualTo(Status.DENIED);
    }

    @Test
    void withoutATokenNothingPasses() {
        assertThat(gate.check(write(5, 1), grants).status()).isEqualTo(Status.DENIED);
        assertThat(gate.check(read(5), grants).status()).isEqualTo(Status.DENIED);
        assertThat(gate.check(read(0), grants).status()).as("volume 0 used to skip the fence").isEqualTo(Status.DENIED);
    }

    @Test
    void aValidTokenAllowsItsVolumeAtItsEpochOnly() {
        assertThat(gate.present(token(5, 3, true, 2_000), grants)).isNull();
        assertThat(gate.check(write(5, 3), grants)).isNull();
        assertThat(gate.check(read(5), grants)).isNull();
        assertThat(gate.check(ChunkRequest.fence(5, 3).encodeHeader(), grants)).isNull();
        assertThat(gate.check(write(5, 4), grants).status()).as("invented epoch").isEqualTo(Status.DENIED);
        assertThat(gate.check(write(5, 2), grants).status()).as("old epoch").isEqualTo(Status.DENIED);
        assertThat(gate.check(ChunkRequest.fence(5, Long.MAX_VALUE).encodeHeader(), grants).status())
                .isEqualTo(Status.DENIED);
        assertThat(gate.check(write(6, 3), grants).status()).as("another volume").isEqualTo(Status.DENIED);
    }

    @Test
    void aBatchPassesOnlyIfEveryRequestInItDoes() {
        gate.present(token(5, 3, true, 2_000), grants);
        ByteBuffer ok = batch(ChunkRequest.delete(5, 3, 1), ChunkRequest.fence(5, 3));
        ByteBuffer bad = batch(ChunkRequest.delete(5, 3, 1), ChunkRequest.delete(6, 3, 1));
        assertThat(gate.check(ok, grants)).isNull();
        assertThat(gate.check(bad, grants).status()).isEqualTo(Status.DENIED);
    }

    private static ByteBuffer batch(ChunkRequest... requests) {
        ByteBuffer out = ByteBuffer.allocate(ChunkRequest.HEADER * (requests.length + 1));
        out.put(ChunkRequest.batchHeader(requests.length));
        for (ChunkRequest r : requests) {
            out.put(r.encodeHeader());
        }
        return out.flip();
    }

    @Test
    void aReadOnlyTokenReadsButNeverWrites() {
        gate.present(token(5, 3, false, 2_000), grants);
        assertThat(gate.check(read(5), grants)).isNull();
        assertThat(gate.check(write(5, 3), grants).message()).contains("read-only");
    }

    @Test
    void forgedAndExpiredTokensAreRefused() {
        byte[] forged = new VolumeToken(1, 5, 3, true, 2_000).sign(VolumeToken.newKeyPair().getPrivate());
        assertThat(gate.present(forged, grants).status()).isEqualTo(Status.DENIED);
        assertThat(gate.present(token(5, 3, true, 1_000), grants).status()).as("expired").isEqualTo(Status.DENIED);
        assertThat(grants.isEmpty()).isTrue();

        gate.present(token(5, 3, true, 1_500), grants);
        assertThat(gate.check(write(5, 3), grants)).isNull();
        now.set(1_500);
        assertThat(gate.check(write(5, 3), grants).message()).contains("expired");
    }

    @Test
    void aSignatureIsCheckedOnceAndARenewedTokenExtendsTheGrant() {
        byte[] t = token(5, 3, true, 2_000);
        gate.present(t, grants);
        gate.present(t.clone(), new TokenGate.Grants());
        assertThat(gate.cached()).as("same token on two connections: one verification").isEqualTo(1);

        gate.present(token(5, 3, true, 5_000), grants);
        now.set(3_000);
        assertThat(gate.check(write(5, 3), grants)).isNull();
        gate.present(token(5, 3, true, 4_000), grants); // a late answer of an older renewal
        now.set(4_500);
        assertThat(gate.check(write(5, 3), grants)).as("the later expiry is kept").isNull();
    }

    @Test
    void aFencedWriterAndItsSuccessorOnOneConnectionEachWriteAtTheirOwnEpoch() {
        gate.present(token(5, 3, true, 2_000), grants);
        gate.present(token(5, 4, true, 2_000), grants);
        assertThat(gate.check(write(5, 3), grants)).as("reaches the copyset, whose fence answers FENCED").isNull();
        assertThat(gate.check(write(5, 4), grants)).isNull();
        assertThat(gate.check(write(5, 5), grants).status()).isEqualTo(Status.DENIED);
    }

    @Test
    void aClusterTokenAllowsAnyVolumeAndEpoch() {
        gate.present(token(VolumeToken.ANY_VOLUME, 0, true, 2_000), grants);
        assertThat(gate.check(write(77, 9), grants)).isNull();
        assertThat(gate.check(read(0), grants)).isNull();
    }
}
