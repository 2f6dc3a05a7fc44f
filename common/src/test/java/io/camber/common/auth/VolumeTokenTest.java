package io.camber.common.auth;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VolumeTokenTest {
    private static final KeyPair MDS = VolumeToken.newKeyPair();
    private static final Map<Integer, PublicKey> KEYS = Map.of(1, MDS.getPublic());

    @Test
    void aSignedTokenVerifiesWithItsFieldsIntact() {
        VolumeToken token = new VolumeToken(1, 42, 7, true, 1_000_000);
        byte[] bytes = token.sign(MDS.getPrivate());
        assertThat(bytes).hasSize(VolumeToken.LENGTH);
        assertThat(VolumeToken.verify(bytes, KEYS::get)).contains(token);
        assertThat(VolumeToken.volumeIdOf(bytes)).isEqualTo(42);
        assertThat(VolumeToken.bytes(VolumeToken.text(bytes))).isEqualTo(bytes);
    }

    @Test
    void aTokenSignedByAnotherKeyOrChangedInAnyByteIsRefused() {
        VolumeToken token = new VolumeToken(1, 42, 7, true, 1_000_000);
        byte[] forged = token.sign(VolumeToken.newKeyPair().getPrivate());
        assertThat(VolumeToken.verify(forged, KEYS::get)).isEmpty();

        byte[] good = token.sign(MDS.getPrivate());
        for (int i = 0; i < good.length; i++) {
            byte[] tampered = good.clone();
            tampered[i] ^= 1;
            assertThat(VolumeToken.verify(tampered, KEYS::get)).as("byte " + i + " flipped").isEmpty();
        }
    }

    @Test
    void unknownKeysTruncatedOrEmptyTokensAreRefused() {
        byte[] good = new VolumeToken(2, 42, 7, true, 1).sign(MDS.getPrivate());
        assertThat(VolumeToken.verify(good, KEYS::get)).as("key 2 unknown").isEmpty();
        assertThat(VolumeToken.verify(new byte[0], KEYS::get)).isEmpty();
        assertThat(VolumeToken.verify(null, KEYS::get)).isEmpty();
        assertThat(VolumeToken.verify(java.util.Arrays.copyOf(good, good.length - 1), KEYS::get)).isEmpty();
    }

    @Test
    void aNewerEpochThenReadWriteThenTheLaterExpiryWins() {
        VolumeToken base = new VolumeToken(1, 42, 7, false, 100);
        assertThat(new VolumeToken(1, 42, 8, false, 50).supersedes(base)).isTrue();
        assertThat(new VolumeToken(1, 42, 6, true, 500).supersedes(base)).isFalse();
        assertThat(new VolumeToken(1, 42, 7, true, 50).supersedes(base)).isTrue();
        assertThat(base.supersedes(new VolumeToken(1, 42, 7, true, 50))).isFalse();
        assertThat(new VolumeToken(1, 42, 7, false, 101).supersedes(base)).isTrue();
        assertThat(base.supersedes(base)).isFalse();
    }
}
