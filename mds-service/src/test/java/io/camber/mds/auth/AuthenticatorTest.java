package io.camber.mds.auth;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.auth.ApiKey;
import io.camber.common.auth.ApiRole;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthenticatorTest {
    private final ApiKey configAdmin = ApiKey.generate();
    private final ApiKey stored = ApiKey.generate();
    private final AtomicReference<AuthState> state = new AtomicReference<>(new AuthState(
            Map.of(stored.id(), new ApiKeyRecord(stored.id(), "ci", ApiRole.READ_ONLY, stored.hash(), 1)),
            List.of(), Map.of(), null));
    private final Authenticator auth = new Authenticator(Map.of(configAdmin.text(), ApiRole.ADMIN, "", ApiRole.SERVICE),
            state::get);

    @Test
    void configuredAndStoredKeysAuthenticateWithTheirRoles() {
        assertThat(auth.authenticate("Bearer " + configAdmin.text()))
                .isEqualTo(new Principal(configAdmin.id(), "admin (config)", ApiRole.ADMIN, "config"));
        assertThat(auth.authenticate("bearer " + stored.text()).role()).isEqualTo(ApiRole.READ_ONLY);
        assertThat(auth.authenticate(stored.text()).keyId()).as("without the scheme").isEqualTo(stored.id());
        assertThat(auth.configured()).containsOnlyKeys(configAdmin.id());
    }

    @Test
    void missingMalformedUnknownWrongSecretOrRemovedKeysAre401() {
        assertCode(() -> auth.authenticate(null));
        assertCode(() -> auth.authenticate("  "));
        assertCode(() -> auth.authenticate("Basic dXNlcjpwYXNz"));
        assertCode(() -> auth.authenticate("Bearer " + ApiKey.generate().text()));
        assertCode(() -> auth.authenticate("Bearer " + new ApiKey(stored.id(), "1".repeat(64)).text()));
        state.set(AuthState.empty());
        assertCode(() -> auth.authenticate("Bearer " + stored.text()));
    }

    @Test
    void aMalformedConfiguredKeyStopsStartUp() {
        assertThatThrownBy(() -> new Authenticator(Map.of("letmein", ApiRole.ADMIN), AuthState::empty))
                .hasMessageContaining("not a Camber API key");
    }

    private static void assertCode(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(CamberException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }
}
