package io.camber.cli.nbd;

import io.camber.cli.ApiOptions;
import io.camber.cli.CliFailure;
import io.camber.client.block.VolumeExports;
import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.client.nbd.NbdLimits;
import io.camber.client.nbd.NbdServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code camber nbd ...}: Camber volumes as network block devices. */
@Command(name = "nbd", description = "Serve volumes over NBD (nbdinfo, qemu-img, fio, the kernel's nbd driver).")
public final class NbdCommand {

    private static final String DEFAULT_HTTP = "127.0.0.1:10810";

    @Command(name = "serve", description = "Serve every volume as an NBD export named by its path; runs until stopped.")
    int serve(@Mixin ApiOptions api,
              @Option(names = "--listen", defaultValue = "127.0.0.1:10809", paramLabel = "HOST:PORT",
                      description = "NBD address (default ${DEFAULT-VALUE})") String listen,
              @Option(names = "--http", paramLabel = "HOST:PORT",
                      description = "health and Prometheus metrics (default 127.0.0.1:10810, or a free port when"
                              + " that one is taken, so a second server on the host starts with only --listen)")
              String http,
              @Option(names = "--read-only", description = "open volumes read-only (never fences a writer)")
              boolean readOnly,
              @Option(names = "--max-connections", defaultValue = "512", paramLabel = "N",
                      description = "connections served at once; more are closed when accepted (default: ${DEFAULT-VALUE})")
              int maxConnections,
              @Option(names = "--handshake-timeout", defaultValue = "30", paramLabel = "SECONDS",
                      description = "cut off a client silent that long during negotiation (default: ${DEFAULT-VALUE})")
              int handshakeTimeoutSeconds,
              @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "SECONDS",
                      description = "close an attached client that sends nothing that long with no request in"
                              + " flight; 0 never does (default: ${DEFAULT-VALUE}: the kernel's client idles"
                              + " for days and loses its device when cut off; TCP keepalive finds dead peers)")
              int idleTimeoutSeconds) throws Exception {
        NbdLimits limits;
        try {
            limits = new NbdLimits(java.time.Duration.ofSeconds(handshakeTimeoutSeconds), maxConnections,
                    java.time.Duration.ofSeconds(idleTimeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MdsAdminClient mds = new MdsAdminClient(api.endpoint(), api.apiKey());
        try (ChunkClient chunks = new ChunkClient(256L << 20)) {
            VolumeExports exports = new VolumeExports(mds, chunks, registry, readOnly, "nbd@" + listen);
            NbdServer server = new NbdServer(exports, address(listen), true, readOnly, limits);
            server.start();
            StatusEndpoint status = http != null ? StatusEndpoint.start(address(http), registry)
                    : StatusEndpoint.startPreferring(address(DEFAULT_HTTP), registry);
            api.out().println("serving Camber volumes over NBD on nbd://" + listen + "/<volume path>"
                    + (readOnly ? " (read-only)" : "") + "; health and metrics on http://" + status.address()
                    + "/actuator");
            api.out().flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                status.close();
                stopped.countDown();
            }));
            stopped.await();
        }
        return 0;
    }

    @Command(name = "map", description = "Attach a volume served by 'camber nbd serve' as /dev/nbdN (Linux, root,"
            + " nbd kernel module and nbd-client needed).")
    int map(@Parameters(paramLabel = "VOLUME", description = "volume path, e.g. /demo/vol1") String volume,
            @Option(names = "--server", defaultValue = "127.0.0.1:10809", paramLabel = "HOST:PORT") String server,
            @Option(names = "--device", defaultValue = "/dev/nbd0") String device) throws Exception {
        if (!Files.isDirectory(Path.of("/sys/module/nbd"))) {
            throw CliFailure.local("the nbd kernel module is not loaded: run 'modprobe nbd' as root (this machine's"
                    + " kernel may not have it: containers usually don't)");
        }
        InetSocketAddress at = address(server);
        List<String> command = new ArrayList<>(List.of("nbd-client", at.getHostString(), Integer.toString(at.getPort()),
                device, "-N", volume));
        Process p;
        try {
            p = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            throw CliFailure.local("cannot run nbd-client (apt-get install nbd-client): " + e.getMessage());
        }
        return p.waitFor();
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new CliFailure(CliFailure.USAGE, "'" + hostPort + "' is not HOST:PORT, e.g. 127.0.0.1:10809");
        }
        try {
            return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new CliFailure(CliFailure.USAGE, "'" + hostPort + "' is not HOST:PORT, e.g. 127.0.0.1:10809");
        }
    }
}
