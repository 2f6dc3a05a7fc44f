package io.camber.cli;

import io.camber.cli.http.CamberClient;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every command that calls the admin API shares: where Camber is and how to print the answer. */
public final class ApiOptions {

    @Option(names = "--endpoint", paramLabel = "URL",
            defaultValue = "${env:CAMBER_ENDPOINT:-http://127.0.0.1:8080}",
            description = "Camber gateway (env CAMBER_ENDPOINT, default ${DEFAULT-VALUE})")
    String endpoint;

    @Option(names = "--json", description = "print the server's JSON answer instead of a table")
    boolean json;

    @Option(names = "--api-key", paramLabel = "KEY", description = "API key camber_<id>_<secret> (default: env"
            + " CAMBER_API_KEY, then ~/.config/camber/credentials, then the playground's when the endpoint is the"
            + " playground's)")
    String apiKey;

    @Option(names = "--api-key-file", paramLabel = "FILE",
            description = "read the API key from FILE (a line api-key=camber_...)")
    java.nio.file.Path apiKeyFile;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The endpoint URL as given. */
    public String endpoint() {
        return endpoint;
    }

    /** The API key this command sends, found as {@link Credentials} describes; null when none is configured. */
    public String apiKey() {
        return Credentials.resolve(apiKey, apiKeyFile, endpoint, System.getenv(),
                        java.nio.file.Path.of(System.getProperty("user.home")), java.nio.file.Path.of("").toAbsolutePath())
                .map(Credentials.Found::key).orElse(null);
    }

    /** A client for the endpoint; a malformed URL is a usage error, reported before any request. */
    public CamberClient client() {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(CliFailure.USAGE, "--endpoint '" + endpoint + "' is not a URL: use e.g. http://127.0.0.1:8080");
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new CliFailure(CliFailure.USAGE, "--endpoint '" + endpoint + "' is not a URL: use e.g. http://127.0.0.1:8080");
        }
        return new CamberClient(uri, Duration.ofSeconds(30), apiKey());
    }

    public boolean json() {
        return json;
    }

    public PrintWriter out() {
        return mixee.commandLine().getOut();
    }

    /** Prints the raw answer with --json, else the human rendering; returns exit code 0. */
    public int print(String body, Supplier<String> human) {
        PrintWriter out = out();
        if (json) {
            if (body != null && !body.isEmpty()) {
                out.println(body);
            }
        } else {
            out.print(human.get());
        }
        out.flush();
        return 0;
    }
}
