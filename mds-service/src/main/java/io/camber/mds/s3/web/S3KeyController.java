package io.camber.mds.s3.web;

import io.camber.common.CamberException;
import io.camber.common.api.CreateS3KeyRequest;
import io.camber.common.api.S3KeyCreated;
import io.camber.common.api.S3KeyInfo;
import io.camber.common.api.S3KeySecret;
import io.camber.common.auth.S3Credential;
import io.camber.mds.auth.ApiKeyFilter;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsQuery;
import io.camber.mds.raft.MdsReplication;
import io.camber.mds.s3.S3KeyRecord;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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
import java.time.Instant;
import java.util.List;

/**
 * Where S3 access keys are managed (admins) and where the s3-proxy fetches a key's secret to verify a request's
 * Signature V4 (service keys); {@link io.camber.mds.auth.AccessPolicy} decides who may call what. Keys are generated
 * here, before the command is replicated, so every replica stores the same pair.
 */
@RestController
@RequestMapping("/api/v1/s3/keys")
@Tag(name = "S3 access keys", description = "Access key pairs S3 clients sign their requests with (Signature V4)")
public class S3KeyController {
    private static final Logger LOG = LoggerFactory.getLogger(S3KeyController.class);

    private final MdsReplication mds;
    private final Clock clock;

    public S3KeyController(MdsReplication mds, Clock clock) {
        this.mds = mds;
        this.clock = clock;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an S3 access key (admin)",
            description = "Body {\"name\"} is optional (a label of at most 128 characters; 400 INVALID_ARGUMENT"
                    + " otherwise). The answer is the only time the secret is shown.")
    public Mono<S3KeyCreated> create(@RequestBody(required = false) CreateS3KeyRequest r,
                                     ServerWebExchange exchange) {
        String name = S3KeyRecord.checkName(r == null ? null : r.name());
        S3Credential credential = S3Credential.generate();
        S3KeyRecord record = new S3KeyRecord(credential.accessKey(), credential.secretKey(), name, clock.millis());
        return mds.submit(new MdsCommand.CreateS3Key(record), Boolean.class).map(ok -> {
            LOG.info("event=s3_key_created access_key={} by={}", record.accessKey(), ApiKeyFilter.caller(exchange));
            noStore(exchange);
            return new S3KeyCreated(record.accessKey(), record.secretKey(), name,
                    Instant.ofEpochMilli(record.createdAtMillis()));
        });
    }

    @GetMapping
    @Operation(summary = "List S3 access keys, never their secrets (admin, read-only, service)")
    public Mono<List<S3KeyInfo>> list() {
        return mds.query(new MdsQuery.ListS3Keys(), S3KeyInfo[].class).map(List::of);
    }

    @DeleteMapping("/{accessKey}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke an S3 access key (admin)",
            description = "404 NOT_FOUND for an unknown key. Its secret is no longer served from then on.")
    public Mono<Void> delete(@PathVariable String accessKey, ServerWebExchange exchange) {
        String id = checked(accessKey);
        return mds.submit(new MdsCommand.DeleteS3Key(id), Boolean.class)
                .doOnNext(ok -> LOG.info("event=s3_key_deleted access_key={} by={}", id, ApiKeyFilter.caller(exchange)))
                .then();
    }

    @GetMapping("/{accessKey}/secret")
    @Operation(summary = "An S3 access key's secret, to verify signatures (service, admin)",
            description = "For the s3-proxy: {accessKey, secretKey, name}. 403 FORBIDDEN for read-only keys, 404"
                    + " NOT_FOUND for an unknown key.")
    public Mono<S3KeySecret> secret(@PathVariable String accessKey, ServerWebExchange exchange) {
        String id = checked(accessKey);
        return mds.query(new MdsQuery.GetS3KeySecret(id), S3KeySecret.class).doOnNext(s -> {
            // Debug, not info: the s3-proxy asks whenever its cache misses.
            LOG.debug("event=s3_secret_read access_key={} by={}", id, ApiKeyFilter.caller(exchange));
            noStore(exchange);
        });
    }

    /** A malformed id is refused before it reaches the log or the Raft group. */
    private static String checked(String accessKey) {
        if (!S3Credential.isAccessKey(accessKey)) {
            throw CamberException.invalid(S3Credential.describe(accessKey));
        }
        return accessKey;
    }

    /** Answers holding a secret must not be kept by caches or proxies on the way. */
    private static void noStore(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().setCacheControl("no-store");
    }
}
