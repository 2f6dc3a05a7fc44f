package io.camber.cli.auth;

import io.camber.cli.ApiOptions;
import io.camber.cli.http.Json;
import io.camber.cli.render.Table;
import io.camber.common.api.ApiKeyInfo;
import io.camber.common.api.CreateKeyRequest;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.type.TypeReference;

/** {@code camber auth ...}: API keys of the admin API (admins only). */
@Command(name = "auth", description = "Create, list and remove API keys (roles admin, read-only, service).")
public final class AuthCommand {

    private static final String KEYS = "/api/v1/auth/keys";

    @Command(name = "create-key", description = "Create an API key; its secret is printed once, keep it.")
    int create(@Mixin ApiOptions api,
               @Option(names = "--role", required = true, paramLabel = "ROLE",
                       description = "admin (everything), read-only (GET only) or service (cluster members)")
               String role,
               @Option(names = "--name", paramLabel = "NAME", description = "who or what holds it (default: the role)")
               String name) {
        String body = api.client().post(KEYS, null, new CreateKeyRequest(role, name));
        return api.print(body, () -> {
            ApiKeyInfo k = Json.LENIENT.readValue(body, ApiKeyInfo.class);
            return "created " + k.role() + " key " + k.id() + " (" + k.name() + "); it is shown only now:\n"
                    + k.key() + "\n"
                    + "use it with --api-key, env CAMBER_API_KEY, or a line api-key=<key> in"
                    + " ~/.config/camber/credentials (mode 0600)\n";
        });
    }

    @Command(name = "ls", description = "List API keys (ids, names, roles; never secrets).")
    int ls(@Mixin ApiOptions api) {
        String body = api.client().get(KEYS, null);
        return api.print(body, () -> {
            List<ApiKeyInfo> keys = Json.LENIENT.readValue(body, new TypeReference<List<ApiKeyInfo>>() { });
            Table t = new Table("ID", "ROLE", "NAME", "SOURCE", "CREATED");
            for (ApiKeyInfo k : keys) {
                t.row(k.id(), k.role(), k.name(), k.source(),
                        k.createdAtMillis() == 0 ? "-" : Instant.ofEpochMilli(k.createdAtMillis()).toString());
            }
            return t.render();
        });
    }

    @Command(name = "rm", description = "Remove an API key: it stops working at once on every MDS.")
    int rm(@Mixin ApiOptions api, @Parameters(paramLabel = "ID", description = "key id, as `auth ls` shows") String id) {
        String body = api.client().delete(KEYS + "/" + id, null);
        return api.print(body, () -> "removed key " + id + "\n");
    }
}
