package io.camber.cli.playground;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The playground's Raft TLS: off until `up --raft-tls` made certificates, then on for MDS and chunk services. */
class PlaygroundLayoutTlsTest {

    @Test
    void raftTlsArgumentsAppearOnceTheCertificatesExist(@TempDir Path dir) throws Exception {
        assertThat(args(dir, "mds-service")).noneMatch(a -> a.contains("raft-tls"));

        PlaygroundLayout.makeRaftCertificates(dir);
        Path tls = PlaygroundLayout.tlsDir(dir);
        assertThat(Files.readString(tls.resolve("member.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(tls.resolve("member.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("member.key"))))
                .isEqualTo("rw-------");

        assertThat(args(dir, "mds-service")).contains("--camber.mds.raft-tls.cert-file=" + tls.resolve("member.crt"),
                "--camber.mds.raft-tls.key-file=" + tls.resolve("member.key"),
                "--camber.mds.raft-tls.trust-file=" + tls.resolve("ca.crt"));
        assertThat(args(dir, "chunk-service-2")).contains("--camber.chunk.raft-tls.trust-file=" + tls.resolve("ca.crt"));
        assertThat(args(dir, "gateway")).noneMatch(a -> a.contains("raft-tls"));
        // Every argument names a file, never a key or secret.
        assertThat(args(dir, "mds-service")).noneMatch(a -> a.contains("camber_"));
    }

    private static java.util.List<String> args(Path dir, String name) {
        return PlaygroundLayout.services(Path.of("/repo"), dir).stream().filter(s -> s.name().equals(name))
                .findFirst().orElseThrow().args();
    }
}
