package io.camber.cli.playground;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code camber playground up|status|down}: a whole cluster as local processes, for trying Camber out. */
@Command(name = "playground",
        description = "Run a local cluster: config-server, 1 MDS, 3 chunk services, 3 meta-services, s3-proxy, gateway.")
public final class PlaygroundCommand {

    /** Options every playground command shares. */
    public static final class Where {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "playground",
                description = "state, data and logs (default: ./${DEFAULT-VALUE})")
        Path dir;

        @Option(names = "--home", paramLabel = "DIR",
                description = "Camber source tree with the built service jars (default: env CAMBER_HOME, else the current directory)")
        Path home;

        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        Path dir() {
            return dir.toAbsolutePath().normalize();
        }

        Path repo() {
            if (home != null) {
                return home.toAbsolutePath().normalize();
            }
            for (String candidate : new String[] {System.getenv("CAMBER_HOME"), System.getProperty("camber.home")}) {
                if (candidate != null && !candidate.isBlank() && Files.isDirectory(Path.of(candidate))) {
                    return Path.of(candidate).toAbsolutePath().normalize();
                }
            }
            return Path.of("").toAbsolutePath();
        }

        PrintWriter out() {
            return mixee.commandLine().getOut();
        }

        PrintWriter err() {
            return mixee.commandLine().getErr();
        }
    }

    @Command(name = "up", description = "Start the playground (or say that it is already up) and apply topology pool1.")
    int up(@Mixin Where where,
           @Option(names = "--jvm-opts", paramLabel = "OPTS",
                   defaultValue = "${env:CAMBER_PLAYGROUND_JVM_OPTS:-" + PlaygroundLayout.JVM_OPTIONS + "}",
                   description = "JVM options of every service (env CAMBER_PLAYGROUND_JVM_OPTS, default: ${DEFAULT-VALUE})")
           String jvmOpts,
           @Option(names = "--health-timeout", paramLabel = "SECONDS", defaultValue = "120",
                   description = "how long each service may take to report UP (default: ${DEFAULT-VALUE})")
           int healthTimeout,
           @Option(names = "--raft-tls", description = "run Raft (MDS, copysets) over mutual TLS with certificates"
                   + " made under DIR/tls; kept for later ups until DIR/tls is deleted")
           boolean raftTls,
           @Option(names = "--chunk-services", paramLabel = "N", description = "run N chunk services (3 to 9, dealt"
                   + " over 3 zones; default: as the last up, or 3); kept for later ups, and more than before adds"
                   + " chunk services")
           Integer chunkServices) {
        if (raftTls) {
            PlaygroundLayout.makeRaftCertificates(where.dir());
        }
        if (chunkServices != null) {
            PlaygroundLayout.setChunkServices(where.dir(), chunkServices);
        }
        List<String> options = Arrays.stream(jvmOpts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        return playground(where, options, Duration.ofSeconds(healthTimeout)).up();
    }

    @Command(name = "status", description = "Show each process, whether it is alive and its health; exit 1 unless all are UP.")
    int status(@Mixin Where where,
               @Option(names = "--json", description = "print a JSON array instead of a table") boolean json) {
        return playground(where, List.of(), Duration.ZERO).status(json);
    }

    @Command(name = "down", description = "Stop the processes the playground started; data stays unless --purge.")
    int down(@Mixin Where where,
             @Option(names = "--purge", description = "also delete DIR/data") boolean purge) {
        return playground(where, List.of(), Duration.ZERO).down(purge);
    }

    private static Playground playground(Where where, List<String> jvmOptions, Duration healthTimeout) {
        Path repo = where.repo();
        Path dir = where.dir();
        return new Playground(repo, dir, PlaygroundLayout.services(repo, dir), jvmOptions, healthTimeout, where.out(),
                where.err());
    }
}
