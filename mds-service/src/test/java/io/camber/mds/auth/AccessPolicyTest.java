package io.camber.mds.auth;

import io.camber.common.auth.ApiRole;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccessPolicyTest {
    private final AccessPolicy policy = AccessPolicy.standard();

    @Test
    void adminsMayDoEverything() {
        assertThat(policy.allows(ApiRole.ADMIN, "DELETE", "/api/v1/volumes")).isTrue();
        assertThat(policy.allows(ApiRole.ADMIN, "POST", "/api/v1/auth/keys")).isTrue();
        assertThat(policy.allows(ApiRole.ADMIN, "POST", "/api/v1/fs/anything/new")).isTrue();
    }

    @Test
    void readOnlyKeysMayOnlyRead() {
        assertThat(policy.allows(ApiRole.READ_ONLY, "GET", "/api/v1/volumes")).isTrue();
        assertThat(policy.allows(ApiRole.READ_ONLY, "HEAD", "/api/v1/topology")).isTrue();
        assertThat(policy.allows(ApiRole.READ_ONLY, "GET", "/api/v1/some/future/endpoint")).isTrue();
        assertThat(policy.allows(ApiRole.READ_ONLY, "POST", "/api/v1/volumes")).isFalse();
        assertThat(policy.allows(ApiRole.READ_ONLY, "POST", "/api/v1/sessions")).isFalse();
        assertThat(policy.allows(ApiRole.READ_ONLY, "DELETE", "/api/v1/sessions/abc")).isFalse();
        assertThat(policy.allows(ApiRole.READ_ONLY, "GET", "/api/v1/auth/keys")).as("who holds keys").isFalse();
        assertThat(policy.allows(ApiRole.READ_ONLY, "GET", "/api/v1/auth/token-keys")).isTrue();
    }

    @Test
    void serviceKeysMayMakeTheWritesOfClusterMembersOnly() {
        assertThat(policy.allows(ApiRole.SERVICE, "POST", "/api/v1/chunkservers")).isTrue();
        assertThat(policy.allows(ApiRole.SERVICE, "POST", "/api/v1/chunkservers/7/heartbeat")).isTrue();
        assertThat(policy.allows(ApiRole.SERVICE, "POST", "/api/v1/chunkservers/7/garbage/deleted")).isTrue();
        assertThat(policy.allows(ApiRole.SERVICE, "GET", "/api/v1/chunkservers/7/garbage")).isTrue();
        assertThat(policy.allows(ApiRole.SERVICE, "POST", "/api/v1/sessions")).isTrue();
        assertThat(policy.allows(ApiRole.SERVICE, "POST", "/api/v1/sessions/abc/renew")).isTrue();
        assertThat(policy.allows(ApiRole.SERVICE, "DELETE", "/api/v1/sessions/abc")).isTrue();
        assertThat(policy.allows(ApiRole.SERVICE, "POST", "/api/v1/volumes/segments")).isTrue();
        assertThat(policy.allows(ApiRole.SERVICE, "POST", "/api/v1/volumes")).isFalse();
        assertThat(policy.allows(ApiRole.SERVICE, "DELETE", "/api/v1/volumes")).isFalse();
        assertThat(policy.allows(ApiRole.SERVICE, "POST", "/api/v1/topology/apply")).isFalse();
        assertThat(policy.allows(ApiRole.SERVICE, "POST", "/api/v1/chunkservers/7/heartbeat/x")).isFalse();
        assertThat(policy.allows(ApiRole.SERVICE, "POST", "/api/v1/chunkservers//heartbeat")).isFalse();
        assertThat(policy.allows(ApiRole.SERVICE, "POST", "/api/v1/auth/data-tokens")).isFalse();
    }

    @Test
    void s3KeysAreManagedByAdminsListedByAnyRoleAndTheirSecretsReadByServicesOnly() {
        String keys = "/api/v1/s3/keys";
        String secret = keys + "/CK0123456789ABCDEFGH/secret";
        assertThat(policy.allows(ApiRole.ADMIN, "POST", keys)).isTrue();
        assertThat(policy.allows(ApiRole.ADMIN, "DELETE", keys + "/CK0123456789ABCDEFGH")).isTrue();
        assertThat(policy.allows(ApiRole.ADMIN, "GET", secret)).isTrue();
        for (ApiRole role : new ApiRole[] {ApiRole.READ_ONLY, ApiRole.SERVICE}) {
            assertThat(policy.allows(role, "GET", keys)).as(role + " lists").isTrue();
            assertThat(policy.allows(role, "POST", keys)).as(role + " creates").isFalse();
            assertThat(policy.allows(role, "DELETE", keys + "/CK0123456789ABCDEFGH")).as(role + " deletes").isFalse();
        }
        assertThat(policy.allows(ApiRole.SERVICE, "GET", secret)).isTrue();
        assertThat(policy.allows(ApiRole.SERVICE, "GET", secret + "/")).isTrue();
        assertThat(policy.allows(ApiRole.SERVICE, "POST", secret)).isFalse();
        assertThat(policy.allows(ApiRole.READ_ONLY, "GET", secret)).isFalse();
        assertThat(policy.allows(ApiRole.READ_ONLY, "HEAD", secret)).isFalse();
        assertThat(policy.allows(ApiRole.READ_ONLY, "GET", secret + "/")).isFalse();
    }

    @Test
    void patternsMatchWholeSegments() {
        assertThat(AccessPolicy.matches("/api/v1/sessions/*/renew", "/api/v1/sessions/x/renew")).isTrue();
        assertThat(AccessPolicy.matches("/api/v1/sessions/*/renew", "/api/v1/sessions/renew")).isFalse();
        assertThat(AccessPolicy.matches("/api/v1/fs/**", "/api/v1/fs/a/b/c")).isTrue();
        assertThat(AccessPolicy.matches("/api/v1/sessions", "/api/v1/sessionsX")).isFalse();
    }
}
