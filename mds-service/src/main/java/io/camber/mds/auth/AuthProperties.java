package io.camber.mds.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Authentication settings of the MDS ({@code camber.auth.*}); docs/operations.md, "Authentication".
 *
 * @param enabled                     whether /api/** needs a credential and chunk servers need data tokens; off only
 *                                    for a trusted test bench
 * @param adminKey                    an admin key accepted from config ({@code camber_<id>_<secret>}), e.g. the
 *                                    playground's; empty for none
 * @param serviceKey                  a service key accepted from config, for chunk services and NBD servers
 * @param bootstrapCredentialsFile    where to write a new admin key on first start (mode 0600), when no stored key
 *                                    exists yet and the file does not; unset: no key is created
 * @param dataTokenTtl                how long a data-plane token lives; renewed with every session renewal, so it
 *                                    only needs to outlast an MDS outage a writer should ride through
 */
@ConfigurationProperties("camber.auth")
public record AuthProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("") String adminKey,
        @DefaultValue("") String serviceKey,
        Path bootstrapCredentialsFile,
        @DefaultValue("10m") Duration dataTokenTtl) {
}
