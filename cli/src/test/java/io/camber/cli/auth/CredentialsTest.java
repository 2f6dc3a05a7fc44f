package io.camber.cli.auth;

import io.camber.cli.Credentials;
import io.camber.cli.playground.PlaygroundCredentials;
import io.camber.common.auth.ApiKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialsTest {
    private static final String PLAYGROUND = "http://127.0.0.1:8080";

    @TempDir
    Path tmp;

    private String resolve(String option, Map<String, String> env, String endpoint) {
        return Credentials.resolve(option, null, endpoint, env, tmp.resolve("home"), tmp.resolve("cwd"))
                .map(Credentials.Found::key).orElse(null);
    }

    @Test
    void theOptionWinsThenTheEnvironmentThenTheUserFileThenThePlaygroundFile() throws IOException {
        Map<String, String> env = new HashMap<>();
        assertThat(resolve(null, env, PLAYGROUND)).isNull();

        PlaygroundCredentials.ensure(tmp.resolve("cwd").resolve("playground"));
        String playground = PlaygroundCredentials.adminKey(tmp.resolve("cwd").resolve("playground"));
        assertThat(resolve(null, env, PLAYGROUND)).isEqualTo(playground);
        assertThat(resolve(null, env, "http://127.0.0.1:8080,http://127.0.0.1:8100")).isEqualTo(playground);
        assertThat(resolve(null, env, "http://10.0.0.5:8080")).as("not the playground").isNull();

        Path user = tmp.resolve("home/.config/camber/credentials");
        Files.createDirectories(user.getParent());
        Files.writeString(user, "# mine\napi-key=camber_user\n");
        assertThat(resolve(null, env, PLAYGROUND)).isEqualTo("camber_user");

        env.put("CAMBER_API_KEY", "camber_env");
        assertThat(resolve(null, env, PLAYGROUND)).isEqualTo("camber_env");
        assertThat(resolve("camber_option", env, PLAYGROUND)).isEqualTo("camber_option");
    }

    @Test
    void xdgConfigHomeMovesTheUserFileAndCamberHomeFindsThePlayground() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CAMBER_HOME", tmp.resolve("repo").toString());
        PlaygroundCredentials.ensure(tmp.resolve("repo").resolve("playground"));
        assertThat(resolve(null, env, PLAYGROUND)).startsWith("camber_");
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        Files.createDirectories(tmp.resolve("xdg/camber"));
        Files.writeString(tmp.resolve("xdg/camber/credentials"), "api-key=camber_xdg\n");
        assertThat(resolve(null, env, PLAYGROUND)).isEqualTo("camber_xdg");
    }

    @Test
    void thePlaygroundKeepsItsKeysInOwnerOnlyFilesAndReusesThem() throws IOException {
        Path dir = tmp.resolve("pg");
        PlaygroundCredentials.ensure(dir);
        String admin = PlaygroundCredentials.adminKey(dir);
        assertThat(ApiKey.parse(admin)).isPresent();
        for (Path f : new Path[] {PlaygroundCredentials.adminFile(dir), PlaygroundCredentials.serviceFile(dir),
                PlaygroundCredentials.mdsProperties(dir), PlaygroundCredentials.chunkProperties(dir)}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                    .isEqualTo("rw-------");
        }
        String service = Credentials.read(PlaygroundCredentials.serviceFile(dir)).orElseThrow();
        assertThat(Files.readString(PlaygroundCredentials.mdsProperties(dir)))
                .contains("camber.auth.admin-key=" + admin).contains("camber.auth.service-key=" + service);
        assertThat(Files.readString(PlaygroundCredentials.chunkProperties(dir))).contains(service);
        PlaygroundCredentials.ensure(dir);
        assertThat(PlaygroundCredentials.adminKey(dir)).as("kept across up/down").isEqualTo(admin);
    }
}
