package io.camber.testkit;

import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.api.CopysetInfo;
import io.camber.common.api.OpenMode;
import io.camber.common.api.S3KeySecret;
import io.camber.common.api.SessionInfo;
import io.camber.common.auth.VolumeToken;
import io.camber.common.chunk.ChunkRequest;
import io.camber.common.chunk.CopysetIds;
import io.camber.common.chunk.DataFrame;
import io.camber.common.chunk.DataFrame.Kind;
import io.camber.common.chunk.DataFrame.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication end to end on a real cluster: the admin API refuses requests without a known key (401) and
 * writes by a read-only key (403); chunk servers refuse data requests without a token the MDS signed, with a forged
 * one, or with an epoch the token does not name, on every replica, and accept a valid one. The cluster's Raft
 * traffic (MDS and copysets) runs over mutual TLS.
 */
class AuthIT {
    private static final long CHUNK = 1024 * 1024;
    private static MiniCluster cluster;
    private static MdsAdminClient mds;
    private static java.nio.file.Path bootstrapFile;

    @BeforeAll
    static void start() throws Exception {
        bootstrapFile = java.nio.file.Files.createTempDirectory("camber-auth-it").resolve("admin-credentials");
        // Raft over mutual TLS too, so the data path below runs through TLS-protected copysets.
        cluster = MiniCluster.builder().mds(1).chunkServers(3).chunkSize(CHUNK).copysets(2).raftTls()
                .mdsProperty("camber.auth.bootstrap-credentials-file", bootstrapFile.toString()).start();
        AdminHttp.Response r = new AdminHttp(cluster.url()).post("/api/v1/volumes",
                Map.of("path", "/auth", "size", 64 * CHUNK + ""));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        mds = new MdsAdminClient(cluster.url(), MiniCluster.ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void noCredentialOrAnUnknownKeyIs401AsAProblemDocument() {
        AdminHttp.Response none = new AdminHttp(cluster.url(), null).get("/api/v1/topology");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(none.body().get("detail").asString()).contains("Authorization: Bearer");
        AdminHttp.Response unknown = new AdminHttp(cluster.url(),
                "camber_0123456789abcdef_" + "0".repeat(64)).post("/api/v1/volumes", Map.of("path", "/x", "size", "1"));
        assertThat(unknown.status()).isEqualTo(401);
        AdminHttp.Response garbage = new AdminHttp(cluster.url(), "hunter2").get("/api/v1/topology");
        assertThat(garbage.status()).isEqualTo(401);
    }

    @Test
    void onFirstStartTheMdsWritesAnAdminKeyOwnerOnlyThatWorks() throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!java.nio.file.Files.exists(bootstrapFile) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(bootstrapFile))).isEqualTo("rw-------");
        String key = java.nio.file.Files.readAllLines(bootstrapFile).stream().filter(l -> l.startsWith("api-key="))
                .findFirst().orElseThrow().substring("api-key=".length());
        AdminHttp bootstrap = new AdminHttp(cluster.url(), key);
        AdminHttp.Response listed = bootstrap.get("/api/v1/auth/keys");
        assertThat(listed.status()).as(listed.raw()).isEqualTo(200);
        assertThat(listed.raw()).contains("bootstrap admin").contains(key.substring(7, 23));
    }

    @Test
    void raftPortsSpeakTlsNotPlainHttp2() throws Exception {
        List<Integer> ports = new ArrayList<>();
        cluster.mds().forEach(n -> ports.add(n.raftPort));
        cluster.chunkServers().forEach(n -> ports.add(n.raftPort));
        for (int port : ports) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
                s.getOutputStream().flush();
                byte[] head = new byte[4];
                int n = s.getInputStream().readNBytes(head, 0, 4);
                // A plain-text gRPC server answers with its SETTINGS frame (type 4 in the 4th byte); a TLS server
                // closes or sends an alert record (type 21).
                assertThat(n < 4 || head[0] == 21 || head[3] != 4).as("port " + port + " answered plain HTTP/2")
                        .isTrue();
            } catch (java.net.SocketException reset) {
                // closed by the TLS server: what we expect
            }
        }
    }

    @Test
    void healthAndApiDocsStayOpen() {
        assertThat(new AdminHttp(cluster.url(), null).get("/actuator/health").status()).isEqualTo(200);
        assertThat(new AdminHttp(cluster.url(), null).get("/v3/api-docs").status()).isEqualTo(200);
    }

    @Test
    void aReadOnlyKeyReadsButAWriteIs403AndARemovedKeyIs401() {
        AdminHttp admin = new AdminHttp(cluster.url());
        AdminHttp.Response created = admin.post("/api/v1/auth/keys", Map.of("role", "read-only", "name", "auditor"));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String key = created.body().get("key").asString();
        String id = created.body().get("id").asString();
        AdminHttp reader = new AdminHttp(cluster.url(), key);

        assertThat(reader.get("/api/v1/volumes?dir=/").status()).isEqualTo(200);
        AdminHttp.Response write = reader.post("/api/v1/volumes", Map.of("path", "/ro-write", "size", "1048576"));
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.code()).isEqualTo("FORBIDDEN");
        assertThat(admin.get("/api/v1/volumes/stat?path=/ro-write").status()).as("nothing was created").isEqualTo(404);
        assertThat(reader.get("/api/v1/auth/keys").status()).as("key list is admins' only").isEqualTo(403);

        AdminHttp.Response listed = admin.get("/api/v1/auth/keys");
        assertThat(listed.raw()).contains(id).contains("auditor").doesNotContain(key.substring(24));
        assertThat(admin.delete("/api/v1/auth/keys/" + id).status()).isEqualTo(204);
        assertThat(reader.get("/api/v1/volumes?dir=/").status()).isEqualTo(401);
    }

    @Test
    void s3KeysAreMadeByAdminsListedWithoutSecretsReadByServicesOnlyAndGoneOnceRevoked() {
        AdminHttp admin = new AdminHttp(cluster.url());
        AdminHttp.Response created = admin.post("/api/v1/s3/keys", Map.of("name", "backup-job"));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String access = created.body().get("accessKey").asString();
        String secret = created.body().get("secretKey").asString();
        assertThat(access).matches("CK[A-Z0-9]{18}");
        assertThat(secret).matches("[A-Za-z0-9+/]{40}");
        assertThat(created.body().get("name").asString()).isEqualTo("backup-job");
        assertThat(created.body().get("createdAt").asString()).as("an ISO-8601 instant").endsWith("Z");

        AdminHttp.Response listed = admin.get("/api/v1/s3/keys");
        assertThat(listed.raw()).contains(access).contains("backup-job").doesNotContain(secret)
                .doesNotContain("secretKey");
        assertThat(mds.listS3Keys().join()).filteredOn(k -> k.accessKey().equals(access)).singleElement()
                .satisfies(k -> assertThat(k.createdAt())
                        .isEqualTo(java.time.Instant.parse(created.body().get("createdAt").asString())));

        MdsAdminClient proxy = new MdsAdminClient(cluster.url(), MiniCluster.SERVICE_KEY);
        assertThat(proxy.s3Secret(access).join()).contains(new S3KeySecret(access, secret, "backup-job"));

        AdminHttp.Response ro = admin.post("/api/v1/auth/keys", Map.of("role", "read-only", "name", "s3-auditor"));
        AdminHttp reader = new AdminHttp(cluster.url(), ro.body().get("key").asString());
        assertThat(reader.get("/api/v1/s3/keys").raw()).contains(access).doesNotContain(secret);
        AdminHttp.Response refused = reader.get("/api/v1/s3/keys/" + access + "/secret");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("FORBIDDEN");
        assertThat(refused.raw()).doesNotContain(secret);
        assertThat(reader.delete("/api/v1/s3/keys/" + access).status()).isEqualTo(403);

        mds.deleteS3Key(access).join();
        assertThat(proxy.s3Secret(access).join()).as("revoked").isEmpty();
        AdminHttp.Response gone = admin.get("/api/v1/s3/keys/" + access + "/secret");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.code()).isEqualTo("NOT_FOUND");
        assertThat(admin.delete("/api/v1/s3/keys/" + access).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/s3/keys").raw()).doesNotContain(access);
    }

    @Test
    void theAdminKeyWorksAndAServiceKeyMayOpenButNotDelete() {
        AdminHttp admin = new AdminHttp(cluster.url());
        assertThat(admin.post("/api/v1/volumes", Map.of("path", "/by-admin", "size", 64 * CHUNK + "")).status())
                .isEqualTo(201);
        AdminHttp service = new AdminHttp(cluster.url(), MiniCluster.SERVICE_KEY);
        AdminHttp.Response open = service.post("/api/v1/sessions", Map.of("path", "/by-admin", "mode", "READ_ONLY"));
        assertThat(open.status()).as(open.raw()).isEqualTo(201);
        assertThat(open.body().get("token").asString()).isNotBlank();
        assertThat(service.delete("/api/v1/volumes?path=/by-admin").status()).isEqualTo(403);
    }

    @Test
    void dataRequestsWithoutAValidTokenOrWithAnotherEpochAreRefusedByEveryReplica() throws Exception {
        SessionInfo session = mds.open("/auth", OpenMode.READ_WRITE, "auth-it").join();
        CopysetInfo copyset = mds.copysets("pool1").join().get(0);
        UUID group = CopysetIds.groupUuid(copyset.logicalPoolId(), copyset.copysetId());
        byte[] valid = VolumeToken.bytes(session.token());
        VolumeToken signed = VolumeToken.decodeUnverified(valid).orElseThrow();
        assertThat(signed.volumeId()).isEqualTo(session.volumeId());
        assertThat(signed.epoch()).isEqualTo(session.epoch());
        // Same fields, signed by a key of our own: what an attacker who can reach the data port could make.
        byte[] forged = new VolumeToken(signed.keyId(), session.volumeId(), Long.MAX_VALUE, true,
                signed.expiresAtMillis()).sign(VolumeToken.newKeyPair().getPrivate());
        long volume = session.volumeId();
        long epoch = session.epoch();

        for (String address : copyset.dataAddresses()) {
            try (RawDataPort port = new RawDataPort(address)) {
                assertThat(port.send(Kind.WRITE, group, ChunkRequest.write(volume, epoch, 901, 0, page('n'))))
                        .as("no token, " + address).isEqualTo(Status.DENIED);
                assertThat(port.token(forged)).as("forged token, " + address).isEqualTo(Status.DENIED);
                assertThat(port.send(Kind.WRITE, group, ChunkRequest.fence(volume, Long.MAX_VALUE)))
                        .as("fence at MAX with a forged token, " + address).isEqualTo(Status.DENIED);
                assertThat(port.send(Kind.READ, group, new ChunkRequest(ChunkRequest.Op.READ, 0, 0, 901, 0, 4096,
                        null))).as("read of volume 0 (no volume), " + address).isEqualTo(Status.DENIED);

                assertThat(port.token(valid)).as("valid token, " + address).isEqualTo(Status.OK);
                assertThat(port.send(Kind.WRITE, group, ChunkRequest.write(volume, epoch + 1, 901, 0, page('e'))))
                        .as("epoch the MDS did not hand out, " + address).isEqualTo(Status.DENIED);
                assertThat(port.send(Kind.WRITE, group, ChunkRequest.fence(volume, Long.MAX_VALUE)))
                        .as("fence at MAX, " + address).isEqualTo(Status.DENIED);
                assertThat(port.send(Kind.WRITE, group, ChunkRequest.write(volume + 1000, epoch, 901, 0, page('o'))))
                        .as("another volume, " + address).isEqualTo(Status.DENIED);
                // With the token's own epoch the request passes the gate: the leader takes it, followers redirect.
                assertThat(port.send(Kind.WRITE, group, ChunkRequest.write(volume, epoch, 902, 0, page('v'))))
                        .as("valid write, " + address).isIn(Status.OK, Status.NOT_LEADER, Status.RETRY);
            }
        }

        // Through the client library: a valid token writes and reads back; a read-only token cannot write.
        try (ChunkClient client = new ChunkClient(8L << 20)) {
            client.authorize(session.token());
            client.write(copyset, volume, epoch, 903, 0, page('w')).join();
            ByteBuffer back = client.read(copyset, volume, 903, 0, 4096).join();
            assertThat(back).isEqualTo(page('w'));
        }
        SessionInfo reader = mds.open("/auth", OpenMode.READ_ONLY, "auth-it-ro").join();
        try (ChunkClient client = new ChunkClient(8L << 20)) {
            client.authorize(reader.token());
            assertThat(client.read(copyset, volume, 903, 0, 4096).join()).isEqualTo(page('w'));
            assertThat(client.write(copyset, volume, epoch, 903, 0, page('r')).handle((x, e) -> e).join())
                    .hasMessageContaining("read-only");
        }
    }

    private static ByteBuffer page(char c) {
        byte[] b = new byte[4096];
        Arrays.fill(b, (byte) c);
        return ByteBuffer.wrap(b);
    }

    /** A bare socket speaking the data protocol, one request at a time: what anyone on the network could send. */
    private static final class RawDataPort implements AutoCloseable {
        private final Socket socket;
        private final DataOutputStream out;
        private final DataInputStream in;
        private long tag;

        RawDataPort(String address) throws IOException {
            int colon = address.lastIndexOf(':');
            socket = new Socket(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
            socket.setSoTimeout(30_000);
            out = new DataOutputStream(socket.getOutputStream());
            in = new DataInputStream(socket.getInputStream());
        }

        Status token(byte[] token) throws IOException {
            return exchange(DataFrame.requestHeader(++tag, Kind.TOKEN, new UUID(0, 0), new UUID(0, 0), 0),
                    ByteBuffer.wrap(token));
        }

        Status send(Kind kind, UUID group, ChunkRequest r) throws IOException {
            List<ByteBuffer> parts = new ArrayList<>();
            parts.add(r.encodeHeader());
            if (r.data() != null) {
                parts.add(r.data().duplicate());
            }
            return exchange(DataFrame.requestHeader(++tag, kind, group, UUID.randomUUID(), tag),
                    parts.toArray(ByteBuffer[]::new));
        }

        private Status exchange(ByteBuffer header, ByteBuffer... body) throws IOException {
            int length = header.remaining();
            for (ByteBuffer b : body) {
                length += b.remaining();
            }
            out.writeInt(length);
            out.write(header.array(), header.position(), header.remaining());
            for (ByteBuffer b : body) {
                byte[] bytes = new byte[b.remaining()];
                b.duplicate().get(bytes);
                out.write(bytes);
            }
            out.flush();
            byte[] reply = new byte[in.readInt()];
            in.readFully(reply);
            DataFrame.Reply r = DataFrame.decodeReply(ByteBuffer.wrap(reply));
            assertThat(r.tag()).isEqualTo(tag);
            return r.status();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
