package io.camber.cli.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.cli.CliFailure;
import io.camber.cli.playground.PlaygroundState.ProcessRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs the real up/status/down machinery on stand-in services ({@link FakeService}) on free ports. */
class PlaygroundLifecycleTest {

    private static final List<String> SMALL_JVM = List.of("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path repo;
    @TempDir
    Path dir;
    private List<ServiceSpec> services;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void fakeRepository() throws Exception {
        for (String module : PlaygroundLayout.MODULES) {
            Path jar = repo.resolve(module).resolve("target")
                    .resolve("camber-" + module + "-" + ServiceSpec.VERSION + "-exec.jar");
            Files.createDirectories(jar.getParent());
            writeLauncherJar(jar);
        }
        services = onFreePorts(PlaygroundLayout.services(repo, dir));
    }

    @AfterEach
    void stopEverything() {
        PlaygroundState.read(dir).ifPresent(s -> ServiceProcess.stop(s.processes(), Duration.ofSeconds(5)));
    }

    @Test
    void upStartsEveryServiceAppliesTheTopologyAndDownStopsThemAll() throws Exception {
        assertThat(playground(SMALL_JVM).up()).isZero();

        assertThat(out.toString()).contains("Camber playground is up in " + dir, "./camber volume create /demo/vol1",
                "created file system demo", "File system (./camber fs info demo):", "[1, 1048577)", "meta1@127.0.0.1:8311");
        String user = System.getProperty("user.name");
        Path mountDir = PlaygroundLayout.demoMountDir(user.equals("root"), user);
        assertThat(out.toString()).contains("./camber fs mount demo " + mountDir + " --daemon",
                "./camber fs umount " + mountDir);
        assertThat(mountDir).as("the printed mount command's directory exists").isDirectory();
        PlaygroundState state = PlaygroundState.read(dir).orElseThrow();
        assertThat(state.processes()).extracting(ProcessRecord::name).containsExactly("config-server", "mds-service",
                "chunk-service-1", "chunk-service-2", "chunk-service-3", "meta-service-1", "meta-service-2",
                "meta-service-3", "s3-proxy", "gateway", "nbd");
        assertThat(state.processes()).allMatch(ServiceProcess::isAlive);
        // run from copies, so a rebuild that rewrites target/*.jar cannot break a running service
        assertThat(state.processes()).allMatch(p -> Path.of(p.jar()).startsWith(dir.resolve("jars")));
        assertThat(Files.readString(dir.resolve("data/mds-service/args.txt")))
                .contains("--camber.mds.node-id=mds1", "--camber.mds.data-dir=" + dir.resolve("data/mds1"),
                        "--spring.cloud.config.uri=http://127.0.0.1:8888");
        assertThat(Files.readString(dir.resolve("data/chunk-service-2/args.txt")))
                .contains("--camber.chunk.zone=zone2", "--camber.chunk.data-dir=" + dir.resolve("data/chunk-service-2"));
        assertThat(Files.readString(dir.resolve("data/meta-service-3/args.txt")))
                .contains("--camber.meta.zone=zone3", "--camber.meta.node-id=meta3", "--camber.meta.raft-port=8313",
                        "--camber.meta.data-dir=" + dir.resolve("data/meta-service-3"));
        JsonNode topology = JsonMapper.builder().build()
                .readTree(Files.readString(dir.resolve("data/mds-service/topology-applied.json")));
        assertThat(topology.at("/physicalPools/0/zones/2/servers/0/chunkServers/0/disk").asString())
                .isEqualTo(dir.resolve("data/chunk-service-3").toString());
        assertThat(topology.at("/logicalPools/0/copysets").asInt()).isEqualTo(PlaygroundLayout.COPYSETS);
        assertThat(Files.readString(dir.resolve("logs/gateway.log"))).contains("fake service listening");

        out.getBuffer().setLength(0);
        assertThat(playground(SMALL_JVM).up()).isZero();
        assertThat(out.toString()).contains("already up");
        assertThat(PlaygroundState.read(dir).orElseThrow()).isEqualTo(state);

        out.getBuffer().setLength(0);
        assertThat(playground(List.of()).status(true)).isZero();
        JsonNode status = JsonMapper.builder().build().readTree(out.toString());
        assertThat(status).hasSize(11);
        status.forEach(p -> {
            assertThat(p.get("alive").asBoolean()).isTrue();
            assertThat(p.get("health").asString()).isEqualTo("UP");
        });
        assertThat(status.get(1).get("raftPort").asInt()).isEqualTo(services.get(1).raftPort());

        assertThat(playground(List.of()).down(false)).isZero();
        for (ProcessRecord r : state.processes()) {
            assertThat(ProcessHandle.of(r.pid()).filter(ProcessHandle::isAlive)).as(r.name()).isEmpty();
        }
        assertThat(PlaygroundState.file(dir)).doesNotExist();
        assertThat(dir.resolve("jars")).doesNotExist();
        assertThat(dir.resolve("data/mds-service/args.txt")).exists();

        assertThat(playground(List.of()).down(true)).isZero();
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void aServiceThatDiesIsReportedWithItsLogAndNothingIsLeftRunning() {
        List<String> dying = new ArrayList<>(SMALL_JVM);
        dying.add("-Dfake.exit=yes");

        assertThatThrownBy(() -> playground(dying).up())
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("config-server exited before it was healthy")
                .hasMessageContaining("fake service exiting as asked");
        assertThat(PlaygroundState.file(dir)).doesNotExist();
        assertThat(err.toString()).contains("stopping the 1 process(es) started");
    }

    @Test
    void aPartlyDeadPlaygroundIsReportedAndUpStartsTheDeadAgain() {
        assertThat(playground(SMALL_JVM).up()).isZero();
        ProcessRecord meta = PlaygroundState.read(dir).orElseThrow().processes().get(5);
        ServiceProcess.stop(List.of(meta), Duration.ofSeconds(5));

        out.getBuffer().setLength(0);
        assertThat(playground(List.of()).status(false)).isEqualTo(CliFailure.REFUSED);
        assertThat(out.toString()).containsPattern("meta-service-1\\s+\\d+\\s+\\d+\\s+\\d+\\s+STOPPED\\s+no")
                .contains("10/11 processes up and healthy");
        out.getBuffer().setLength(0);
        assertThat(playground(SMALL_JVM).up()).isZero();
        assertThat(out.toString()).contains("partly up; starting again: meta-service-1").contains("meta-service-1 is UP");
        List<ProcessRecord> after = PlaygroundState.read(dir).orElseThrow().processes();
        assertThat(after).hasSize(11).allMatch(ServiceProcess::isAlive);
        assertThat(after.stream().filter(p -> p.name().equals("meta-service-1")).findFirst().orElseThrow().pid())
                .isNotEqualTo(meta.pid());
        assertThat(playground(List.of()).status(false)).isZero();
    }

    @Test
    void upWithMoreChunkServicesGrowsARunningPlaygroundAndAppliesTheLargerTopology() throws Exception {
        assertThat(playground(SMALL_JVM).up()).isZero();
        List<ProcessRecord> before = PlaygroundState.read(dir).orElseThrow().processes();

        PlaygroundLayout.setChunkServices(dir, 4);
        List<ServiceSpec> grown = new ArrayList<>();
        for (ServiceSpec s : onFreePorts(PlaygroundLayout.services(repo, dir))) {
            // the running ones keep their ports; only chunk-service-4 is new
            grown.add(services.stream().filter(old -> old.name().equals(s.name())).findFirst().orElse(s));
        }
        services = grown;
        out.getBuffer().setLength(0);
        assertThat(playground(SMALL_JVM).up()).isZero();

        assertThat(out.toString()).contains("grows; starting: chunk-service-4", "chunk-service-4 is UP",
                "applied topology pool1");
        List<ProcessRecord> after = PlaygroundState.read(dir).orElseThrow().processes();
        assertThat(after).hasSize(12).allMatch(ServiceProcess::isAlive);
        assertThat(after).containsAll(before);
        JsonNode topology = JsonMapper.builder().build()
                .readTree(Files.readString(dir.resolve("data/mds-service/topology-applied.json")));
        assertThat(topology.at("/physicalPools/0/zones/0/servers/1/chunkServers/0/disk").asString())
                .isEqualTo(dir.resolve("data/chunk-service-4").toString());
    }

    @Test
    void statusWithoutAPlaygroundSaysHowToStartOne() {
        assertThatThrownBy(() -> playground(List.of()).status(false))
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("no playground in " + dir + ": start one with ./camber playground up");
    }

    private Playground playground(List<String> jvm) {
        return new Playground(repo, dir, services, jvm, Duration.ofSeconds(30), new PrintWriter(out, true),
                new PrintWriter(err, true));
    }

    /** Moves every service to a free port, so the test runs beside a real playground. */
    private static List<ServiceSpec> onFreePorts(List<ServiceSpec> layout) throws IOException {
        List<ServiceSpec> moved = new ArrayList<>();
        for (ServiceSpec s : layout) {
            int port = freePort();
            List<String> args = s.args().stream()
                    .map(a -> a.startsWith("--server.port=") ? "--server.port=" + port
                            : a.startsWith("--http=") ? "--http=127.0.0.1:" + port : a).toList();
            moved.add(new ServiceSpec(s.name(), s.module(), port, s.raftPort() == null ? null : freePort(), s.wave(), args,
                    s.heap()));
        }
        return moved;
    }

    /** Ports handed out so far; below Linux's ephemeral range, like MiniCluster's, for the same reason. */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT = new java.util.concurrent.atomic
            .AtomicInteger(12000 + (int) (ProcessHandle.current().pid() % 300) * 20);

    /**
     * A port free now, below the ephemeral range (32768-60999): a port the kernel picked could be taken meanwhile
     * as the local port of an outgoing connection (a health probe), and a fake service then failed to bind it.
     */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 2000; attempt++) {
            int port = NEXT_PORT.getAndIncrement();
            if (port >= 20000) {
                NEXT_PORT.set(12000);
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // in use: try the next one
            }
        }
        throw new IOException("no free port between 12000 and 20000 on the loopback address");
    }


    /** A manifest-only jar whose class path is this module's test classes, so java -jar runs FakeService. */
    private static void writeLauncherJar(Path jar) throws IOException {
        Path testClasses = Path.of(FakeService.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, testClasses.toUri().toString());
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(os, manifest)) {
            // the manifest is the whole jar
        }
    }
}
