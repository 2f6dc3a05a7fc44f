package io.camber.cli.s3;

import io.camber.cli.ApiOptions;
import io.camber.cli.CliFailure;
import io.camber.cli.http.Json;
import io.camber.cli.render.Table;
import io.camber.common.api.CreateS3KeyRequest;
import io.camber.common.api.S3KeyCreated;
import io.camber.common.api.S3KeyInfo;
import io.camber.common.auth.S3Credential;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.core.type.TypeReference;

/** {@code camber s3 key ...}: create (admins), list and revoke S3 access keys. */
@Command(name = "key", description = "Create, list and revoke S3 access keys.")
public final class S3KeyCommand {

    private static final String KEYS = "/api/v1/s3/keys";

    @Command(name = "create", description = "Create an S3 access key; its secret is printed once, keep it.")
    int create(@Mixin ApiOptions api,
               @Parameters(paramLabel = "NAME", arity = "0..1", description = "who or what holds it (optional)")
               String name) {
        String body = api.client().post(KEYS, null, new CreateS3KeyRequest(name));
        return api.print(body, () -> {
            S3KeyCreated k = Json.LENIENT.readValue(body, S3KeyCreated.class);
            String label = k.name() == null || k.name().isEmpty() ? "" : " (" + k.name() + ")";
            return "created S3 access key " + k.accessKey() + label + "\n"
                    + "access key: " + k.accessKey() + "\n"
                    + "secret key: " + k.secretKey() + "\n"
                    + "the secret key is shown only now: keep it with the access key in your S3 client's"
                    + " configuration\n";
        });
    }

    @Command(name = "ls", description = "List S3 access keys (ids, names, creation times; never secrets).")
    int ls(@Mixin ApiOptions api) {
        String body = api.client().get(KEYS, null);
        return api.print(body, () -> {
            List<S3KeyInfo> keys = Json.LENIENT.readValue(body, new TypeReference<List<S3KeyInfo>>() { });
            Table t = new Table("ACCESS KEY", "NAME", "CREATED");
            for (S3KeyInfo k : keys) {
                t.row(k.accessKey(), k.name() == null || k.name().isEmpty() ? null : k.name(), k.createdAt());
            }
            return t.render();
        });
    }

    @Command(name = "rm", description = "Revoke an S3 access key: its secret is no longer served to the S3 gateway.")
    int rm(@Mixin ApiOptions api,
           @Parameters(paramLabel = "ACCESS_KEY", description = "access key id, as `s3 key ls` shows")
           String accessKey) {
        if (!S3Credential.isAccessKey(accessKey)) {
            throw new CliFailure(CliFailure.USAGE, S3Credential.describe(accessKey));
        }
        String body = api.client().delete(KEYS + "/" + accessKey, null);
        return api.print(body, () -> "revoked S3 access key " + accessKey + "\n");
    }
}
