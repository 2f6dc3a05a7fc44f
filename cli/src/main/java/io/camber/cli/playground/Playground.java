package io.camber.cli.playground;

import io.camber.cli.CliFailure;
import io.camber.cli.http.CamberClient;
import io.camber.cli.http.Json;
import io.camber.cli.playground.PlaygroundState.ProcessRecord;
import io.camber.cli.playground.ServiceSpec.Wave;
import io.camber.common.api.ApplyResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Starts, inspects and stops a whole Camber cluster as local processes under one directory. */
public final class Playground {

    static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final Duration TOPOLOGY_RETRY = Duration.ofSeconds(60);

    private final Path repo;
    private final Path dir;
    private final List<ServiceSpec> services;
    private final List<String> jvmOptions;
    private final Duration healthTimeout;
    private final PrintWriter out;
    private final PrintWriter err;
    private final HealthProbe probe = new HealthProbe(Duration.ofSeconds(2));
    private PlaygroundState state;

    public Playground(Path repo, Path dir, List<ServiceSpec> services, List<String> jvmOptions, Duration healthTimeout,
                      PrintWriter out, PrintWriter err) {
        this.repo = repo;
        this.dir = dir;
        this.services = services;
        this.jvmOptions = jvmOptions;
        this.healthTimeout = healthTimeout;
        this.out = out;
        this.err = err;
    }

    /** Starts every service in waves, applies the default topology and prints how to use the cluster. */
    public int up() {
        Optional<PlaygroundState> existing = PlaygroundState.read(dir);
        if (existing.isPresent() && !existing.get().processes().isEmpty()) {
            java.util.Set<String> dead = new java.util.LinkedHashSet<>();
            existing.get().processes().stream().filter(r -> !ServiceProcess.isAlive(r)).forEach(r -> dead.add(r.name()));
            // Services the layout has and the running playground does not: chunk services added by --chunk-services.
            java.util.Set<String> added = new java.util.LinkedHashSet<>();
            services.stream().map(ServiceSpec::name).filter(name -> existing.get().processes().stream()
                    .noneMatch(r -> r.name().equals(name))).forEach(added::add);
            if (dead.isEmpty() && added.isEmpty()) {
                out.println("Camber playground is already up in " + dir + " (see ./camber playground status)");
                return 0;
            }
            if (dead.size() < existing.get().processes().size()) {
                return restart(existing.get(), dead, added);
            }
            PlaygroundState.delete(dir); // every recorded process is gone: a stale file from a crash or a reboot
        }
        checkJars(services);
        checkPortsFree(services);
        long startNanos = System.nanoTime();
        createDirectories(dir);
        PlaygroundCredentials.ensure(dir);
        state = new PlaygroundState(dir.toString(), System.currentTimeMillis(), List.of());
        state.write(dir);
        try {
            for (Wave wave : Wave.values()) {
                startWave(services.stream().filter(s -> s.wave() == wave).toList());
                if (wave == Wave.MDS) {
                    // Chunk servers join the physical pool the topology declares: it must exist before they start.
                    applyTopology();
                }
                if (wave == Wave.SERVICES) {
                    createDemoVolume();
                    createDemoFs();
                    createS3Key();
                }
            }
        } catch (RuntimeException e) {
            err.println("playground did not come up; stopping the " + state.processes().size()
                    + " process(es) started (logs stay in " + dir.resolve("logs") + ")");
            err.flush();
            ServiceProcess.stop(state.processes(), STOP_GRACE);
            PlaygroundState.delete(dir);
            throw e;
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        out.print(PlaygroundReport.started(state, dir, seconds, demoMountDir()));
        printDemoFs();
        out.flush();
        return 0;
    }

    /**
     * Makes the demo file system's mount point, so the printed mount command works as printed; one that is already
     * there (maybe mounted from an earlier up) is left alone.
     */
    private Path demoMountDir() {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path mountDir = PlaygroundLayout.demoMountDir(root, System.getProperty("user.name"));
        try {
            Files.createDirectories(mountDir);
        } catch (IOException | RuntimeException e) {
            // already there (a directory, or a mount left from an earlier up); else mount says what is wrong
        }
        return mountDir;
    }

    /** Stops the recorded processes (SIGTERM, then SIGKILL after the grace period) and keeps data unless purged. */
    public int down(boolean purge) {
        Optional<PlaygroundState> existing = PlaygroundState.read(dir);
        if (existing.isEmpty()) {
            out.println("no playground running in " + dir);
        } else {
            List<ProcessRecord> reversed = new ArrayList<>(existing.get().processes());
            java.util.Collections.reverse(reversed);
            int stopped = ServiceProcess.stop(reversed, STOP_GRACE);
            PlaygroundState.delete(dir);
            deleteTree(dir.resolve(RunJars.DIR)); // nothing runs from them any more
            out.println("stopped " + stopped + " process(es) of the playground in " + dir
                    + (purge ? "" : "; data kept in " + dir.resolve("data") + " (down --purge deletes it)"));
        }
        if (purge) {
            deleteTree(dir.resolve("data"));
            out.println("deleted " + dir.resolve("data"));
        }
        out.flush();
        return 0;
    }

    /** Prints each process with liveness and health; exit code 0 only when every process is alive and UP. */
    public int status(boolean json) {
        PlaygroundState current = PlaygroundState.read(dir).orElseThrow(() -> CliFailure.local(
                "no playground in " + dir + ": start one with ./camber playground up"));
        List<ProcessRecord> records = current.processes();
        List<Boolean> alive = records.stream().map(ServiceProcess::isAlive).toList();
        List<String> health = probe.checkAll(records.stream().map(ProcessRecord::httpPort).toList());
        List<ProcessStatus> rows = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            ProcessRecord r = records.get(i);
            rows.add(new ProcessStatus(r.name(), r.pid(), r.httpPort(), r.raftPort(),
                    alive.get(i) ? health.get(i) : "STOPPED", alive.get(i)));
        }
        if (json) {
            out.println(Json.LENIENT.writerWithDefaultPrettyPrinter().writeValueAsString(rows));
        } else {
            out.print(PlaygroundReport.status(rows, dir));
        }
        out.flush();
        return rows.stream().allMatch(r -> r.alive() && HealthProbe.UP.equals(r.health())) ? 0 : CliFailure.REFUSED;
    }

    /** One line of {@code playground status}. */
    public record ProcessStatus(String name, long pid, int httpPort, Integer raftPort, String health, boolean alive) {
    }

    /** Starts again the processes of a partly-up playground that died (crashed or killed), from their data. */
    /**
     * Starts the dead services of a running playground again, and the added ones (a scale-out): those join the
     * topology first, which is applied once the MDS is up.
     */
    private int restart(PlaygroundState current, java.util.Set<String> dead, java.util.Set<String> added) {
        PlaygroundCredentials.ensure(dir); // a playground from before authentication gets its keys now
        List<ServiceSpec> again = services.stream().filter(s -> dead.contains(s.name()) || added.contains(s.name()))
                .toList();
        if (!dead.isEmpty()) {
            out.println("the playground in " + dir + " is partly up; starting again: " + String.join(", ", dead));
        }
        if (!added.isEmpty()) {
            out.println("the playground in " + dir + " grows; starting: " + String.join(", ", added));
        }
        checkJars(again);
        checkPortsFree(again);
        state = current.without(dead);
        state.write(dir);
        for (Wave wave : Wave.values()) {
            startWave(again.stream().filter(s -> s.wave() == wave).toList());
            if (wave == Wave.MDS && !added.isEmpty()) {
                applyTopology();
            }
        }
        out.println("Camber playground is up again in " + dir + " (see ./camber playground status)");
        out.flush();
        return 0;
    }

    private void startWave(List<ServiceSpec> wave) {
        List<ProcessRecord> started = new ArrayList<>();
        for (ServiceSpec spec : wave) {
            out.println("starting " + spec.name() + " on port " + spec.httpPort());
            out.flush();
            ProcessRecord record = ServiceProcess.launch(spec, repo, dir, jvmOptions);
            started.add(record);
            state = state.with(record);
            state.write(dir);
        }
        long deadline = System.nanoTime() + healthTimeout.toNanos();
        for (ProcessRecord record : started) {
            awaitUp(record, deadline);
        }
    }

    private void awaitUp(ProcessRecord record, long deadline) {
        String last = HealthProbe.UNREACHABLE;
        while (System.nanoTime() < deadline) {
            if (!ServiceProcess.isAlive(record)) {
                throw failed(record, record.name() + " exited before it was healthy");
            }
            last = probe.check(record.httpPort()).join();
            if (HealthProbe.UP.equals(last)) {
                out.println("  " + record.name() + " is UP");
                out.flush();
                return;
            }
            sleep(Duration.ofMillis(500));
        }
        throw failed(record, record.name() + " did not report UP on " + "http://127.0.0.1:" + record.httpPort()
                + "/actuator/health within " + healthTimeout.toSeconds() + " s (last: " + last + ")");
    }

    private CliFailure failed(ProcessRecord record, String why) {
        return CliFailure.local(why + "; last lines of " + record.log() + ":\n"
                + ServiceProcess.tail(Path.of(record.log()), 40));
    }

    /** Applies pool1 on the MDS, retrying while its leader is not ready yet. */
    private void applyTopology() {
        ServiceSpec mds = services.stream().filter(s -> s.wave() == Wave.MDS).findFirst()
                .orElseThrow(() -> CliFailure.local("the playground layout has no MDS"));
        CamberClient client = new CamberClient(URI.create(mds.baseUrl()), Duration.ofSeconds(30),
                PlaygroundCredentials.adminKey(dir));
        long deadline = System.nanoTime() + TOPOLOGY_RETRY.toNanos();
        while (true) {
            try {
                String body = client.post("/api/v1/topology/apply", null, PlaygroundLayout.topology(dir));
                ApplyResult result = Json.LENIENT.readValue(body, ApplyResult.class);
                int changes = result.changes() == null ? 0 : result.changes().size();
                out.println(changes == 0 ? "topology pool1 already in place"
                        : "applied topology pool1 (" + changes + " change(s))");
                return;
            } catch (CliFailure e) {
                if (!retryable(e) || System.nanoTime() > deadline) {
                    throw CliFailure.local("applying the playground topology failed: " + e.getMessage());
                }
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    /** The volume the NBD server offers for a first try; kept across down and up. */
    private void createDemoVolume() {
        ServiceSpec mds = services.stream().filter(s -> s.wave() == Wave.MDS).findFirst().orElseThrow();
        CamberClient client = new CamberClient(URI.create(mds.baseUrl()), Duration.ofSeconds(30),
                PlaygroundCredentials.adminKey(dir));
        try {
            client.post("/api/v1/volumes", null, java.util.Map.of("path", PlaygroundLayout.DEMO_VOLUME, "size", "10GiB"));
            out.println("created demo volume " + PlaygroundLayout.DEMO_VOLUME + " (10GiB)");
        } catch (CliFailure e) {
            if (!e.getMessage().startsWith("ALREADY_EXISTS")) {
                throw CliFailure.local("creating the demo volume failed: " + e.getMessage());
            }
        }
    }

    /**
     * The file system for a first try; kept across down and up. Retried while the meta-services are still
     * registering (the MDS refuses to place partitions before three zones have one) and while the pool has no
     * copysets yet (its data volume would have nowhere to go).
     */
    private void createDemoFs() {
        CamberClient client = mdsClient();
        long deadline = System.nanoTime() + TOPOLOGY_RETRY.toNanos();
        while (true) {
            try {
                client.post("/api/v1/fs", null, java.util.Map.of("name", PlaygroundLayout.DEMO_FS));
                out.println("created file system " + PlaygroundLayout.DEMO_FS);
                return;
            } catch (CliFailure e) {
                if (e.getMessage().startsWith("ALREADY_EXISTS")) {
                    return;
                }
                boolean registering = e.getMessage().contains("meta-services in")
                        || e.getMessage().contains("has no copysets yet");
                if (!(registering || retryable(e)) || System.nanoTime() > deadline) {
                    throw CliFailure.local("creating the demo file system failed: " + e.getMessage());
                }
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    /**
     * The S3 key the printed s3cmd and aws commands use, made once and kept with the playground's other secrets;
     * the MDS holds it replicated like every key.
     */
    private void createS3Key() {
        if (Files.exists(PlaygroundCredentials.s3KeyFile(dir))) {
            return;
        }
        try {
            String body = mdsClient().post("/api/v1/s3/keys", null, java.util.Map.of("name", "playground"));
            io.camber.common.api.S3KeyCreated key = Json.LENIENT.readValue(body, io.camber.common.api.S3KeyCreated.class);
            PlaygroundCredentials.writeS3Key(dir, key.accessKey(), key.secretKey(), PlaygroundLayout.GATEWAY_PORT);
            out.println("created S3 key " + key.accessKey() + " (secret in " + PlaygroundCredentials.s3KeyFile(dir) + ")");
        } catch (RuntimeException e) {
            throw CliFailure.local("creating the playground's S3 key failed: " + e.getMessage());
        }
    }

    /** What {@code camber fs info demo} prints, once its partitions have leaders (or after 30 s, as it is then). */
    private void printDemoFs() {
        CamberClient client = mdsClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        io.camber.common.api.FsInfo fs;
        do {
            fs = Json.LENIENT.readValue(client.get("/api/v1/fs/" + PlaygroundLayout.DEMO_FS, null),
                    io.camber.common.api.FsInfo.class);
            if (fs.partitions().stream().allMatch(p -> p.leader() != null) || System.nanoTime() > deadline) {
                break;
            }
            sleep(Duration.ofMillis(500));
        } while (true);
        out.print("\nFile system (./camber fs info " + PlaygroundLayout.DEMO_FS + "):\n"
                + io.camber.cli.fs.FsView.info(fs).indent(2));
    }

    private CamberClient mdsClient() {
        ServiceSpec mds = services.stream().filter(s -> s.wave() == Wave.MDS).findFirst().orElseThrow();
        return new CamberClient(URI.create(mds.baseUrl()), Duration.ofSeconds(30),
                PlaygroundCredentials.adminKey(dir));
    }

    static boolean retryable(CliFailure e) {
        String m = e.getMessage();
        return e.exitCode() == CliFailure.UNREACHABLE || m.startsWith("NO_LEADER") || m.startsWith("UNAVAILABLE")
                || m.startsWith("HTTP 502") || m.startsWith("HTTP 503");
    }

    private void checkJars(List<ServiceSpec> services) {
        List<String> missing = services.stream().map(s -> s.jar(repo)).distinct().filter(j -> !Files.isRegularFile(j))
                .map(Path::toString).toList();
        if (!missing.isEmpty()) {
            throw CliFailure.local("missing service jar(s): " + String.join(", ", missing)
                    + "\nbuild them with ./mvnw -B -DskipTests install in " + repo
                    + " (./camber does it on first use), or point CAMBER_HOME at a built Camber tree");
        }
    }

    private static void checkPortsFree(List<ServiceSpec> services) {
        List<String> busy = services.stream()
                .flatMap(s -> Stream.of(s.httpPort(), s.raftPort()).filter(p -> p != null && listening(p))
                        .map(p -> p + " (" + s.name() + ")"))
                .toList();
        if (!busy.isEmpty()) {
            throw CliFailure.local("port(s) already in use on 127.0.0.1: " + String.join(", ", busy)
                    + "\nanother playground (./camber playground status --dir DIR) or another program listens there;"
                    + " stop it first");
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void createDirectories(Path path) {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw CliFailure.local("cannot create " + path + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw CliFailure.local("cannot delete " + root + ": " + e.getMessage());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.local("interrupted");
        }
    }
}
