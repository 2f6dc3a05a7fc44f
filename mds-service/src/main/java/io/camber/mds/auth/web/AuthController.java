package io.camber.mds.auth.web;

import io.camber.common.CamberException;
import io.camber.common.api.ApiKeyInfo;
import io.camber.common.api.CreateKeyRequest;
import io.camber.common.api.DataTokenRequest;
import io.camber.common.api.TokenKeysInfo;
import io.camber.common.auth.ApiKey;
import io.camber.common.auth.ApiRole;
import io.camber.mds.auth.ApiKeyFilter;
import io.camber.mds.auth.ApiKeyRecord;
import io.camber.mds.auth.Authenticator;
import io.camber.mds.auth.DataTokens;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsQuery;
import io.camber.mds.raft.MdsReplication;
import io.camber.mds.web.Requests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where API keys are managed (admins only, the filter decides) and where chunk servers fetch the public keys that
 * check data-plane tokens.
 */
@RestController
@RequestMapping("/api/v1/auth")
public class AuthController {
    private static final Logger LOG = LoggerFactory.getLogger(AuthController.class);

    private final MdsReplication mds;
    private final Authenticator authenticator;
    private final DataTokens tokens;
    private final Clock clock;

    public AuthController(MdsReplication mds, Authenticator authenticator, DataTokens tokens, Clock clock) {
        this.mds = mds;
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Creates a key; the answer is the only time its secret is shown. */
    @PostMapping("/keys")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<ApiKeyInfo> create(@RequestBody CreateKeyRequest r, ServerWebExchange exchange) {
        Requests.body(r);
        ApiRole role;
        try {
            role = ApiRole.parse(r.role());
        } catch (IllegalArgumentException e) {
            throw CamberException.invalid(e.getMessage());
        }
        String name = r.name() == null || r.name().isBlank() ? role.label() : r.name().strip();
        if (name.length() > 128) {
            throw CamberException.invalid("name is " + name.length() + " characters long; keep it under 128");
        }
        ApiKey key = ApiKey.generate();
        ApiKeyRecord record = new ApiKeyRecord(key.id(), name, role, key.hash(), clock.millis());
        return mds.submit(new MdsCommand.CreateApiKey(record), Boolean.class).map(ok -> {
            LOG.info("event=api_key_created key={} role={} by={}", key.id(), role.label(), who(exchange));
            return new ApiKeyInfo(key.id(), name, role.label(), record.createdAtMillis(), "stored", key.text());
        });
    }

    /** Every key: stored ones and those accepted from config; never a secret or hash. */
    @GetMapping("/keys")
    public Mono<List<ApiKeyInfo>> list() {
        return mds.query(new MdsQuery.ListApiKeys(), ApiKeyRecord[].class).map(stored -> {
            List<ApiKeyInfo> out = new ArrayList<>();
            for (Map.Entry<String, ApiKeyRecord> e : authenticator.configured().entrySet()) {
                out.add(view(e.getValue(), "config"));
            }
            for (ApiKeyRecord k : stored) {
                out.add(view(k, "stored"));
            }
            return out;
        });
    }

    @DeleteMapping("/keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> delete(@PathVariable String id, ServerWebExchange exchange) {
        if (authenticator.configured().containsKey(id)) {
            throw CamberException.invalid("key " + id + " comes from the MDS's configuration; remove it there");
        }
        return mds.submit(new MdsCommand.DeleteApiKey(id), Boolean.class)
                .doOnNext(ok -> LOG.info("event=api_key_removed key={} by={}", id, who(exchange))).then();
    }

    /** The public keys chunk servers check data tokens with; any valid key may read them (they are public). */
    @GetMapping("/token-keys")
    public TokenKeysInfo tokenKeys() {
        return tokens.keys();
    }

    /** A cluster data token (any volume) for admins' tools such as `camber bench chunks`. */
    @PostMapping("/data-tokens")
    public Map<String, String> dataToken(@RequestBody(required = false) DataTokenRequest r, ServerWebExchange exchange) {
        Duration ttl = r == null || r.ttlSeconds() == null ? null : Duration.ofSeconds(r.ttlSeconds());
        LOG.info("event=cluster_token_issued by={}", who(exchange));
        return Map.of("token", tokens.clusterToken(ttl));
    }

    private static ApiKeyInfo view(ApiKeyRecord k, String source) {
        return new ApiKeyInfo(k.id(), k.name(), k.role().label(), k.createdAtMillis(), source, null);
    }

    private static String who(ServerWebExchange exchange) {
        return ApiKeyFilter.caller(exchange);
    }
}
