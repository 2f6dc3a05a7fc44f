package io.camber.mds.s3.web;

import io.camber.common.CamberException;
import io.camber.common.api.S3KeyInfo;
import io.camber.common.api.S3KeySecret;
import io.camber.common.auth.ApiKey;
import io.camber.common.auth.ApiRole;
import io.camber.mds.auth.AccessPolicy;
import io.camber.mds.auth.ApiKeyFilter;
import io.camber.mds.auth.ApiKeyRecord;
import io.camber.mds.auth.AuthState;
import io.camber.mds.auth.Authenticator;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsQuery;
import io.camber.mds.raft.MdsReplication;
import io.camber.mds.web.ApiErrorHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The S3 key endpoints as a client sees them, behind the real API key filter and error mapping, with the Raft group
 * stubbed: status codes, JSON fields, which role gets what, and what is handed to replication.
 */
class S3KeyControllerTest {
    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05.678Z");
    private static final String KNOWN = "CK0123456789ABCDEFGH";
    private static final String SECRET_PATH = "/api/v1/s3/keys/" + KNOWN + "/secret";
    private final ApiKey admin = ApiKey.generate();
    private final ApiKey readOnly = ApiKey.generate();
    private final ApiKey service = ApiKey.generate();
    private final MdsReplication mds = mock(MdsReplication.class);
    private WebTestClient web;

    @BeforeEach
    void setUp() {
        Map<String, ApiKeyRecord> stored = Map.of(readOnly.id(),
                new ApiKeyRecord(readOnly.id(), "auditor", ApiRole.READ_ONLY, readOnly.hash(), 1));
        AuthState auth = new AuthState(stored, List.of(), Map.of(), null);
        Authenticator authenticator = new Authenticator(
                Map.of(admin.text(), ApiRole.ADMIN, service.text(), ApiRole.SERVICE), () -> auth);
        web = WebTestClient.bindToController(new S3KeyController(mds, Clock.fixed(NOW, ZoneOffset.UTC)))
                .controllerAdvice(new ApiErrorHandler())
                .webFilter(new ApiKeyFilter(authenticator, AccessPolicy.standard()))
                .build();
        when(mds.submit(any(MdsCommand.class), eq(Boolean.class))).thenReturn(Mono.just(true));
        when(mds.query(eq(new MdsQuery.GetS3KeySecret(KNOWN)), eq(S3KeySecret.class)))
                .thenReturn(Mono.just(new S3KeySecret(KNOWN, "s".repeat(40), "backup")));
        when(mds.query(eq(new MdsQuery.ListS3Keys()), eq(S3KeyInfo[].class)))
                .thenReturn(Mono.just(new S3KeyInfo[] {new S3KeyInfo(KNOWN, "backup", NOW)}));
    }

    @Test
    void anAdminCreatesAKeyAndSeesItsSecretOnceAsReplicated() {
        var body = web.post().uri("/api/v1/s3/keys").header("Authorization", "Bearer " + admin.text())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"  backup  \"}")
                .exchange().expectStatus().isCreated()
                .expectHeader().cacheControl(org.springframework.http.CacheControl.noStore())
                .expectBody().returnResult().getResponseBodyContent();
        String json = new String(body);

        ArgumentCaptor<MdsCommand> sent = ArgumentCaptor.forClass(MdsCommand.class);
        verify(mds).submit(sent.capture(), eq(Boolean.class));
        var stored = ((MdsCommand.CreateS3Key) sent.getValue()).key();
        assertThat(stored.accessKey()).matches("CK[A-Z0-9]{18}");
        assertThat(stored.secretKey()).matches("[A-Za-z0-9+/]{40}");
        assertThat(stored.name()).isEqualTo("backup");
        assertThat(stored.createdAtMillis()).isEqualTo(NOW.toEpochMilli());
        assertThat(json).isEqualTo("{\"accessKey\":\"" + stored.accessKey() + "\",\"secretKey\":\""
                + stored.secretKey() + "\",\"name\":\"backup\",\"createdAt\":\"2025-01-02T03:04:05.678Z\"}");
    }

    @Test
    void aKeyWithoutABodyHasNoNameAndABadNameIs400WithNothingReplicated() {
        web.post().uri("/api/v1/s3/keys").header("Authorization", "Bearer " + admin.text()).exchange()
                .expectStatus().isCreated().expectBody().jsonPath("$.name").isEqualTo("");

        web.post().uri("/api/v1/s3/keys").header("Authorization", "Bearer " + admin.text())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "n".repeat(129)))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_ARGUMENT")
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("128"));
        web.post().uri("/api/v1/s3/keys").header("Authorization", "Bearer " + admin.text())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("MALFORMED_REQUEST");
        verify(mds).submit(any(MdsCommand.class), eq(Boolean.class)); // the first request's only
    }

    @Test
    void onlyAdminsCreateOrDelete() {
        for (ApiKey key : List.of(readOnly, service)) {
            web.post().uri("/api/v1/s3/keys").header("Authorization", "Bearer " + key.text()).exchange()
                    .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("FORBIDDEN");
            web.delete().uri("/api/v1/s3/keys/" + KNOWN).header("Authorization", "Bearer " + key.text()).exchange()
                    .expectStatus().isForbidden();
        }
        web.get().uri("/api/v1/s3/keys").exchange().expectStatus().isUnauthorized();
        verify(mds, never()).submit(any(MdsCommand.class), any());
    }

    @Test
    void theListHasNoSecretsForAnyRole() {
        for (ApiKey key : List.of(admin, readOnly, service)) {
            String json = new String(web.get().uri("/api/v1/s3/keys").header("Authorization", "Bearer " + key.text())
                    .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBodyContent());
            assertThat(json).isEqualTo("[{\"accessKey\":\"" + KNOWN + "\",\"name\":\"backup\","
                    + "\"createdAt\":\"2025-01-02T03:04:05.678Z\"}]");
        }
    }

    @Test
    void servicesAndAdminsReadASecretButReadOnlyKeysAreRefusedHoweverThePathIsSpelled() {
        for (ApiKey key : List.of(service, admin)) {
            web.get().uri(SECRET_PATH).header("Authorization", "Bearer " + key.text()).exchange()
                    .expectStatus().isOk().expectHeader().cacheControl(org.springframework.http.CacheControl.noStore())
                    .expectBody().json("{\"accessKey\":\"" + KNOWN + "\",\"secretKey\":\"" + "s".repeat(40)
                            + "\",\"name\":\"backup\"}", true);
        }
        for (String path : List.of(SECRET_PATH, "/api/v1/s3/keys/" + KNOWN + "/%73ecret",
                SECRET_PATH + ";x=1", "/api/v1/s3/keys/" + KNOWN + ";y=2/secret")) {
            web.get().uri(URI.create(path)).header("Authorization", "Bearer " + readOnly.text()).exchange()
                    .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("FORBIDDEN");
        }
        web.get().uri(URI.create("/%61pi/v1/s3/keys/" + KNOWN + "/secret")).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void unknownKeysAre404AndMalformedOnes400() {
        String unknown = "CK9999999999999999ZZ";
        CamberException gone = CamberException.notFound("no S3 access key " + unknown);
        when(mds.query(eq(new MdsQuery.GetS3KeySecret(unknown)), eq(S3KeySecret.class))).thenReturn(Mono.error(gone));
        when(mds.submit(eq(new MdsCommand.DeleteS3Key(unknown)), eq(Boolean.class))).thenReturn(Mono.error(gone));

        web.get().uri("/api/v1/s3/keys/" + unknown + "/secret").header("Authorization", "Bearer " + service.text())
                .exchange().expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        web.delete().uri("/api/v1/s3/keys/" + unknown).header("Authorization", "Bearer " + admin.text())
                .exchange().expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        web.delete().uri("/api/v1/s3/keys/" + KNOWN).header("Authorization", "Bearer " + admin.text())
                .exchange().expectStatus().isNoContent();
        web.delete().uri("/api/v1/s3/keys/not-a-key").header("Authorization", "Bearer " + admin.text())
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_ARGUMENT");
    }
}
