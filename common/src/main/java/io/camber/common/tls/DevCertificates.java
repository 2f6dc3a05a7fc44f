package io.camber.common.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and per-member certificates for Raft over mutual TLS on one machine (the playground, tests), made
 * with the JDK's keytool (no BouncyCastle): EC P-256 keys, certificates valid for both server and client use, with
 * IP SAN 127.0.0.1 and DNS SAN localhost, since gRPC checks the address it dials. Written as PEM: the certificate,
 * its PKCS#8 key (mode 0600) and the CA certificate, the files {@code raft-tls} settings take. Not for production:
 * the CA key sits next to the certificates.
 */
public final class DevCertificates {
    private final Path dir;
    private final String password;
    private final Path keytool;

    /** A CA in dir: made on first use, reused afterwards. */
    public DevCertificates(Path dir) {
        this.dir = dir;
        this.keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        this.password = password(dir);
    }

    /** The member's files. */
    public record Member(Path certFile, Path keyFile, Path trustFile) {
    }

    /** The CA certificate (PEM), made with the CA on first use. */
    public Path caCertificate() throws IOException {
        Path ca = dir.resolve("ca.crt");
        if (!Files.exists(ca)) {
            Files.createDirectories(dir);
            keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                    "CN=camber-dev-ca", "-ext", "bc:c", "-validity", "3650", "-keystore", store("ca"), "-storetype",
                    "PKCS12", "-storepass", password, "-keypass", password);
            keytool("-exportcert", "-alias", "ca", "-keystore", store("ca"), "-storepass", password, "-rfc", "-file",
                    ca.toString());
        }
        return ca;
    }

    /** The certificate and key of member name (made on first use), signed by the CA. */
    public Member member(String name) throws IOException {
        Path ca = caCertificate();
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        if (!Files.exists(cert) || !Files.exists(key)) {
            Path csr = dir.resolve(name + ".csr");
            Files.deleteIfExists(Path.of(store(name)));
            keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                    "-validity", "3650", "-keystore", store(name), "-storetype", "PKCS12", "-storepass", password,
                    "-keypass", password);
            keytool("-certreq", "-alias", name, "-keystore", store(name), "-storepass", password, "-file",
                    csr.toString());
            keytool("-gencert", "-alias", "ca", "-keystore", store("ca"), "-storepass", password, "-infile",
                    csr.toString(), "-outfile", cert.toString(), "-rfc", "-validity", "3650",
                    "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "EKU=serverAuth,clientAuth");
            Files.delete(csr);
            writePrivate(key, pem("PRIVATE KEY", privateKey(name)));
        }
        return new Member(cert, key, ca);
    }

    private byte[] privateKey(String name) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(store(name)))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            Key k = ks.getKey(name, password.toCharArray());
            return k.getEncoded(); // PKCS#8
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key of " + name + ": " + e.getMessage(), e);
        }
    }

    private String store(String name) {
        return dir.resolve(name + ".p12").toString();
    }

    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running keytool", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** The keystores' password: random, kept owner-only in the directory (keytool wants one). */
    private static String password(Path dir) {
        Path file = dir.resolve("store.password");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(dir);
            byte[] b = new byte[16];
            new SecureRandom().nextBytes(b);
            String pw = HexFormat.of().formatHex(b);
            writePrivate(file, pw + "\n");
            return pw;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot keep the keystore password in " + file, e);
        }
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
    }
}
