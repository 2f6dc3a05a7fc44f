package io.camber.cli;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the CLI finds its API key, first hit wins: --api-key (or --api-key-file), env CAMBER_API_KEY, the user's
 * credentials file ($XDG_CONFIG_HOME or ~/.config, then camber/credentials), and, when the endpoint is the
 * playground's (loopback, port 8080 or 8100), the playground's own file (playground/credentials under the current
 * directory or $CAMBER_HOME). A credentials file is a properties file with one line {@code api-key=camber_...}.
 */
public final class Credentials {
    /** Name of the key in a credentials file. */
    public static final String KEY = "api-key";
    private static final List<Integer> PLAYGROUND_PORTS = List.of(8080, 8100);

    private Credentials() {
    }

    /** The key and where it came from, for messages. */
    public record Found(String key, String source) {
    }

    /**
     * Resolves the key for endpoints (one URL or several, comma separated); env: the process environment; cwd: the
     * current directory. Empty when nothing is configured (the API will answer 401 with what to do).
     */
    public static Optional<Found> resolve(String option, Path optionFile, String endpoints, Map<String, String> env,
                                          Path home, Path cwd) {
        if (option != null && !option.isBlank()) {
            return Optional.of(new Found(option.strip(), "--api-key"));
        }
        if (optionFile != null) {
            return Optional.of(new Found(read(optionFile).orElseThrow(() -> CliFailure.local("--api-key-file "
                    + optionFile + " has no readable '" + KEY + "=' line")), optionFile.toString()));
        }
        String fromEnv = env.get("CAMBER_API_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(new Found(fromEnv.strip(), "CAMBER_API_KEY"));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config"))
                .resolve("camber").resolve("credentials");
        Optional<String> user = read(config);
        if (user.isPresent()) {
            return Optional.of(new Found(user.get(), config.toString()));
        }
        if (isPlayground(endpoints)) {
            List<Path> candidates = new ArrayList<>();
            candidates.add(cwd.resolve("playground").resolve("credentials"));
            String camberHome = env.get("CAMBER_HOME");
            if (camberHome != null && !camberHome.isBlank()) {
                candidates.add(Path.of(camberHome).resolve("playground").resolve("credentials"));
            }
            for (Path p : candidates) {
                Optional<String> k = read(p);
                if (k.isPresent()) {
                    return Optional.of(new Found(k.get(), p.toString()));
                }
            }
        }
        return Optional.empty();
    }

    /** Whether every endpoint is a loopback address on a playground port. */
    static boolean isPlayground(String endpoints) {
        if (endpoints == null || endpoints.isBlank()) {
            return false;
        }
        for (String e : endpoints.split(",")) {
            try {
                URI u = URI.create(e.strip());
                String host = u.getHost();
                boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
                if (!loopback || !PLAYGROUND_PORTS.contains(u.getPort())) {
                    return false;
                }
            } catch (IllegalArgumentException bad) {
                return false;
            }
        }
        return true;
    }

    /** The api-key line of a credentials file, if the file exists and has one. */
    public static Optional<String> read(Path file) {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            return Optional.empty();
        }
        String key = p.getProperty(KEY);
        return key == null || key.isBlank() ? Optional.empty() : Optional.of(key.strip());
    }
}
