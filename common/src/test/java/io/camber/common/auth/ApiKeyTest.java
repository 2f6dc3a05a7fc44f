package io.camber.common.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyTest {

    @Test
    void aGeneratedKeyParsesBackFromItsTextAndMatchesOnlyItsOwnHash() {
        ApiKey key = ApiKey.generate();
        ApiKey parsed = ApiKey.parse(key.text()).orElseThrow();
        assertThat(parsed).isEqualTo(key);
        assertThat(parsed.matches(key.hash())).isTrue();
        ApiKey other = ApiKey.generate();
        assertThat(other.id()).isNotEqualTo(key.id());
        assertThat(other.matches(key.hash())).isFalse();
        // Same id, another secret: what someone who saw `camber auth ls` could try.
        ApiKey guessed = new ApiKey(key.id(), "0".repeat(64));
        assertThat(guessed.matches(key.hash())).isFalse();
    }

    @Test
    void theHashIsStableAndNeverTheSecret() {
        ApiKey key = new ApiKey("00000000000000a1", "ad" + "0".repeat(61) + "a");
        assertThat(key.hash()).isEqualTo(key.hash()).hasSize(64).doesNotContain(key.secret());
        assertThat(key.toString()).contains(key.id()).doesNotContain(key.secret());
    }

    @Test
    void textThatIsNotAKeyDoesNotParse() {
        assertThat(ApiKey.parse(null)).isEmpty();
        assertThat(ApiKey.parse("")).isEmpty();
        assertThat(ApiKey.parse("hunter2")).isEmpty();
        assertThat(ApiKey.parse("camber_0123456789abcdef_" + "0".repeat(63))).isEmpty();
        assertThat(ApiKey.parse("camber_0123456789ABCDEF_" + "0".repeat(64))).isEmpty();
        assertThat(ApiKey.parse("camber_0123456789abcdef-" + "0".repeat(64))).isEmpty();
        assertThat(ApiKey.parse("camber_0123456789abcdef_" + "0".repeat(64))).isPresent();
        assertThatThrownBy(() -> new ApiKey("x", "y")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rolesParseAsOperatorsTypeThem() {
        assertThat(ApiRole.parse("read-only")).isEqualTo(ApiRole.READ_ONLY);
        assertThat(ApiRole.parse("READ_ONLY")).isEqualTo(ApiRole.READ_ONLY);
        assertThat(ApiRole.parse(" Admin ")).isEqualTo(ApiRole.ADMIN);
        assertThat(ApiRole.READ_ONLY.label()).isEqualTo("read-only");
        assertThatThrownBy(() -> ApiRole.parse("root")).hasMessageContaining("admin, read-only or service");
    }
}
