package io.camber.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.camber.cli.playground.PlaygroundLayout;
import io.camber.cli.playground.PlaygroundState;
import io.camber.cli.playground.PlaygroundState.ProcessRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real playground (service processes on the default ports, in a temp dir) for the ITs that need one. */
final class PlaygroundFixture implements AutoCloseable {
    static final String GATEWAY = "--endpoint=http://127.0.0.1:" + PlaygroundLayout.GATEWAY_PORT;
    /**
     * How long each service may take to report UP. A chunk service restarted while the kill tests' workload keeps
     * the other ten JVMs busy took 125 s on CI's 2 cores, past the operator's default of 120 s.
     */
    private static final int HEALTH_TIMEOUT_SECONDS = 300;
    /** The directory of the playground up right now: API calls through the gateway send its admin key. */
    private static volatile Path current;

    final Path home;
    final Path dir;
    /** JVM options added after the playground's own, on every (re)start; empty for none. */
    private final String extraJvmOptions;

    private PlaygroundFixture(Path home, Path dir, String extraJvmOptions) {
        this.home = home;
        this.dir = dir;
        current = dir;
        this.extraJvmOptions = extraJvmOptions;
    }

    /** The playground the fault ITs share, with the JVM options it was started with; null when none is up. */
    private static PlaygroundFixture shared;
    private static String sharedOptions;

    /**
     * A playground shared by the test classes that ask for one with the same JVM options: brought up by the first,
     * reused by the next (each leaves it healthy), stopped when another kind is needed or when the test JVM exits.
     * One `playground up` less per class is two minutes less of CI on 2 cores.
     */
    static synchronized PlaygroundFixture shared(String extraJvmOptions) throws IOException {
        if (shared != null && extraJvmOptions.equals(sharedOptions)) {
            Result again = shared.upAgain(); // restarts anything a previous class left stopped
            assertThat(again.code()).as("shared playground up failed:\n%s%s", again.out(), again.err()).isZero();
            current = shared.dir;
            return shared;
        }
        closeShared();
        shared = up("shared", extraJvmOptions);
        sharedOptions = extraJvmOptions;
        Runtime.getRuntime().addShutdownHook(new Thread(PlaygroundFixture::closeShared, "shared-playground-down"));
        return shared;
    }

    static synchronized void closeShared() {
        if (shared != null) {
            PlaygroundFixture p = shared;
            shared = null;
            p.close();
        }
    }

    /** Brings a playground up; a missing service jar fails in CI and skips elsewhere. */
    static PlaygroundFixture up(String name) throws IOException {
        return up(name, "");
    }

    /** Brings a playground up with extra JVM options (system properties for the services, say). */
    static PlaygroundFixture up(String name, String extraJvmOptions) throws IOException {
        return up(name, extraJvmOptions, List.of());
    }

    /** As above, with options for the first `playground up` (say --chunk-services 4; later ups keep them). */
    static PlaygroundFixture up(String name, String extraJvmOptions, List<String> firstUpOptions) throws IOException {
        if (!"shared".equals(name)) {
            closeShared(); // every playground takes the default ports
        }
        Path home = Path.of(System.getProperty("camber.home", "..")).toAbsolutePath().normalize();
        List<Path> missing = PlaygroundLayout.services(home, home).stream().map(s -> s.jar(home)).distinct()
                .filter(j -> !Files.isRegularFile(j)).toList();
        if (!missing.isEmpty()) {
            String why = "service jars not built (" + missing + "): run ./mvnw -B verify from the top";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        // the prefix lets .ci/run find and stop a playground a crashed test JVM left behind
        PlaygroundFixture p = new PlaygroundFixture(home, Files.createTempDirectory("camber-playground-it-" + name
                + "-"), extraJvmOptions);
        long start = System.nanoTime();
        Result r = p.upAgain(firstUpOptions);
        System.out.println(r.out() + r.err());
        assertThat(r.code()).as("playground up failed:\n%s", r.err()).isZero();
        System.out.printf("%s: playground up in %.1f s%n", name, (System.nanoTime() - start) / 1e9);
        return p;
    }

    /** `playground up` again: starts whatever process of it is not running. */
    Result upAgain() {
        return upAgain(List.of());
    }

    private Result upAgain(List<String> options) {
        List<String> args = new java.util.ArrayList<>(List.of("playground", "up", "--dir", dir.toString(), "--home",
                home.toString(), "--health-timeout=" + HEALTH_TIMEOUT_SECONDS));
        args.addAll(options);
        if (!extraJvmOptions.isBlank()) {
            String base = Optional.ofNullable(System.getenv("CAMBER_PLAYGROUND_JVM_OPTS"))
                    .orElse(PlaygroundLayout.JVM_OPTIONS);
            args.add("--jvm-opts=" + base + " " + extraJvmOptions);
        }
        return cli(args.toArray(String[]::new));
    }

    /** `playground up --chunk-services n` on the running playground: starts the chunk services it adds. */
    Result grow(int chunkServices) {
        return upAgain(List.of("--chunk-services", String.valueOf(chunkServices)));
    }

    /** The running process of a service. */
    ProcessRecord process(String name) {
        return PlaygroundState.read(dir).orElseThrow().processes().stream().filter(p -> p.name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(name + " is not in the playground state"));
    }

    /** How many copysets chunk service n leads, from its Prometheus metrics. */
    static int copysetsLed(int n) throws IOException, InterruptedException {
        return (int) gauge(PlaygroundLayout.CHUNK_BASE_PORT + n, "camber_chunk_copysets_leading");
    }

    /** How many file-system partitions meta-service n leads, from its Prometheus metrics. */
    static int partitionsLed(int n) throws IOException, InterruptedException {
        return (int) gauge(PlaygroundLayout.META_PORT + n, "camber_meta_partitions_leading");
    }

    /** A gauge's value from the Prometheus metrics of the service on httpPort. */
    private static double gauge(int httpPort, String name) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + httpPort + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} ([0-9.]+)").matcher(r.body());
        if (!m.find()) {
            throw new AssertionError("no " + name + " in the metrics of the service on port " + httpPort);
        }
        return Double.parseDouble(m.group(1));
    }

    @Override
    public void close() {
        Result r = cli("playground", "down", "--dir", dir.toString(), "--purge");
        System.out.println(r.out() + r.err());
    }

    /** Runs the CLI in this JVM, as an operator would from a shell. */
    static Result cli(String... args) {
        if (current != null && java.util.Arrays.asList(args).contains(GATEWAY)) {
            // The playground is not in ./playground here, where the CLI would find its key by itself.
            args = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                    "--api-key-file=" + io.camber.cli.playground.PlaygroundCredentials.adminFile(current)))
                    .toArray(String[]::new);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CamberCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    record Result(int code, String out, String err) {
    }
}
