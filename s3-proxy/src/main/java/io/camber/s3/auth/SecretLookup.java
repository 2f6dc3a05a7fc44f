package io.camber.s3.auth;

import java.util.Optional;

/**
 * Finds the secret access key of an access key id; called synchronously during verification, so back it with a cache
 * rather than a remote call.
 */
@FunctionalInterface
public interface SecretLookup {

    /** The secret of {@code accessKey}, or empty when the key is unknown (or disabled). */
    Optional<String> secretFor(String accessKey);
}
