package io.camber.cli;

import io.camber.cli.cluster.ClusterCommand;
import io.camber.cli.fs.FsCommand;
import io.camber.cli.playground.PlaygroundCommand;
import io.camber.cli.topology.ChunkServerCommand;
import io.camber.cli.topology.CopysetCommand;
import io.camber.cli.topology.TopologyCommand;
import io.camber.cli.volume.VolumeCommand;
import io.camber.common.CamberException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ScopeType;

/** Entry point of the operators' CLI: {@code camber <group> <command>}, talking HTTP/JSON to the gateway. */
@Command(name = "camber", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "camber 0.1.0-SNAPSHOT",
        description = "Operate a Camber cluster: playground, topology, volumes, file systems, copysets, chunk servers,"
                + " API keys, S3 access keys.",
        subcommands = {PlaygroundCommand.class, ClusterCommand.class, TopologyCommand.class, VolumeCommand.class,
                FsCommand.class,
                CopysetCommand.class, ChunkServerCommand.class, io.camber.cli.bench.BenchCommand.class,
                io.camber.cli.nbd.NbdCommand.class, io.camber.cli.auth.AuthCommand.class,
                io.camber.cli.s3.S3Command.class, HelpCommand.class})
public final class CamberCli {

    public static void main(String[] args) {
        int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    /** Runs one command line with the given streams and returns its exit code; tests call this in-process. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new CamberCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, err));
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int report(Exception ex, PrintWriter err) {
        int code;
        if (ex instanceof CliFailure failure) {
            err.println(failure.getMessage());
            code = failure.exitCode();
        } else if (ex instanceof CamberException camber) {
            err.println(camber.code() + ": " + camber.getMessage());
            code = CliFailure.REFUSED;
        } else {
            err.println("camber: unexpected error: " + ex + " (set CAMBER_DEBUG=1 for the stack trace)");
            code = CliFailure.LOCAL;
        }
        if (System.getenv("CAMBER_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }
}
