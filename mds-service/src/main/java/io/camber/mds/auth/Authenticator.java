package io.camber.mds.auth;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.auth.ApiKey;
import io.camber.common.auth.ApiRole;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns an Authorization header into a principal: keys from config (checked first, never stored) and keys stored
 * in the replicated state, as this replica has applied them (a removed key stops working within replication lag).
 */
public final class Authenticator {
    private final Map<String, ApiKeyRecord> configured;
    private final Supplier<AuthState> stored;

    /** configured: key text to role (blank texts are ignored); stored: the replica's current key state. */
    public Authenticator(Map<String, ApiRole> configured, Supplier<AuthState> stored) {
        Map<String, ApiKeyRecord> keys = new LinkedHashMap<>();
        configured.forEach((text, role) -> {
            if (text != null && !text.isBlank()) {
                ApiKey key = ApiKey.parse(text.strip()).orElseThrow(() -> new IllegalArgumentException(
                        "the configured " + role.label() + " key is not a Camber API key (camber_<id>_<secret>);"
                                + " create one with `camber auth create-key` or leave the setting empty"));
                keys.put(key.id(), new ApiKeyRecord(key.id(), role.label() + " (config)", role, key.hash(), 0));
            }
        });
        this.configured = Map.copyOf(keys);
        this.stored = stored;
    }

    /** The keys accepted from config, as records (for listings). */
    public Map<String, ApiKeyRecord> configured() {
        return configured;
    }

    /** The principal behind an Authorization header value, or UNAUTHENTICATED saying what to do. */
    public Principal authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new CamberException(ErrorCode.UNAUTHENTICATED, "this API needs a credential: send"
                    + " 'Authorization: Bearer camber_<id>_<secret>' (the CLI reads --api-key, CAMBER_API_KEY or"
                    + " ~/.config/camber/credentials; see docs/operations.md, \"Authentication\")");
        }
        String text = authorization.strip();
        if (text.regionMatches(true, 0, "Bearer ", 0, 7)) {
            text = text.substring(7).strip();
        }
        Optional<ApiKey> key = ApiKey.parse(text);
        if (key.isEmpty()) {
            throw new CamberException(ErrorCode.UNAUTHENTICATED, "the credential is not a Camber API key"
                    + " (camber_<id>_<secret>): check what was sent");
        }
        ApiKeyRecord fromConfig = configured.get(key.get().id());
        if (fromConfig != null && key.get().matches(fromConfig.hash())) {
            return new Principal(fromConfig.id(), fromConfig.name(), fromConfig.role(), "config");
        }
        ApiKeyRecord record = stored.get().apiKeys().get(key.get().id());
        if (record != null && key.get().matches(record.hash())) {
            return new Principal(record.id(), record.name(), record.role(), "stored");
        }
        throw new CamberException(ErrorCode.UNAUTHENTICATED, "API key " + key.get().id() + " is unknown or was"
                + " removed: ask an admin for a key (`camber auth create-key`)");
    }
}
