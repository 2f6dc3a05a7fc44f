package io.camber.server.raft;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mutual TLS for a service's Raft traffic (gRPC), bound under each service's {@code raft-tls} key
 * ({@code camber.mds.raft-tls.*}, {@code camber.chunk.raft-tls.*}). All three files set: every Raft connection of
 * the process, as server and as client, is TLS and both ends must present a certificate signed by the trust file's
 * CA; none set: plain text, as before. PEM files: the certificate (chain), its PKCS#8 private key, and the CA
 * certificate(s) to trust. Certificates must name the address peers dial (e.g. IP SAN 127.0.0.1), which gRPC
 * checks.
 *
 * @param certFile  this member's certificate chain (PEM)
 * @param keyFile   its private key (PEM, PKCS#8, unencrypted; keep it 0600)
 * @param trustFile the CA certificate(s) peers' certificates must chain to (PEM)
 */
public record RaftTls(Path certFile, Path keyFile, Path trustFile) {
    /** Plain-text Raft. */
    public static final RaftTls NONE = new RaftTls(null, null, null);

    public RaftTls {
        int set = (certFile != null ? 1 : 0) + (keyFile != null ? 1 : 0) + (trustFile != null ? 1 : 0);
        if (set != 0 && set != 3) {
            throw new IllegalArgumentException("raft-tls needs cert-file, key-file and trust-file together (got "
                    + "cert-file=" + certFile + ", key-file=" + keyFile + ", trust-file=" + trustFile + ")");
        }
        for (Path p : new Path[] {certFile, keyFile, trustFile}) {
            if (p != null && !Files.isReadable(p)) {
                throw new IllegalArgumentException("raft-tls file " + p + " is missing or unreadable");
            }
        }
    }

    /** Whether Raft runs over mutual TLS. */
    public boolean enabled() {
        return certFile != null;
    }

    /** The Ratis parameters carrying the TLS configuration for server, client and admin RPCs; null when off. */
    public Parameters parameters() {
        if (!enabled()) {
            return null;
        }
        GrpcTlsConfig tls = new GrpcTlsConfig(keyFile.toFile(), certFile.toFile(), trustFile.toFile(), true);
        Parameters p = new Parameters();
        GrpcConfigKeys.TLS.setConf(p, tls);
        GrpcConfigKeys.Server.setTlsConf(p, tls);
        GrpcConfigKeys.Client.setTlsConf(p, tls);
        GrpcConfigKeys.Admin.setTlsConf(p, tls);
        return p;
    }
}
