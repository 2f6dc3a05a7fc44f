package io.camber.cli.fs;

import io.camber.cli.CliFailure;
import io.camber.client.fuse.MountTable;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts {@code camber fs mount} again as a background process in its own session (so closing the terminal does
 * not take the mount down), with its output in a log file, and waits until the kernel lists the mount.
 */
final class MountDaemon {
    private static final Duration POLL = Duration.ofMillis(100);

    private MountDaemon() {
    }

    /**
     * The running JVM's java, options and class path with the CLI's main class, so the child is the same build: the
     * exec jar when run as {@code java -jar camber-cli-*-exec.jar} (./camber), else the class path (tests; a
     * surefire booter jar carries the class path in its manifest).
     */
    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        String launched = System.getProperty("sun.java.command", "").split(" ")[0];
        if (launched.endsWith(".jar") && Path.of(launched).getFileName().toString().startsWith("camber-cli")) {
            cmd.addAll(List.of("-jar", launched));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), io.camber.cli.CamberCli.class.getName()));
        }
        return cmd;
    }

    /**
     * Starts cliArgs (a foreground {@code fs mount}) under setsid with stdout and stderr appended to logFile and the
     * API key in the environment (never on a command line); returns the child once dir is mounted. A child that
     * exits first fails with the end of its log, which holds its reason.
     */
    static Process start(List<String> cliArgs, String apiKey, Path dir, Path logFile, Duration timeout) {
        List<String> cmd = new ArrayList<>(List.of("setsid"));
        cmd.addAll(javaCommand());
        cmd.addAll(cliArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        if (apiKey != null) {
            env.put("CAMBER_API_KEY", apiKey);
        }
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            throw CliFailure.local("cannot start the mount process (setsid is in util-linux): " + e.getMessage());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (MountTable.at(dir).filter(MountTable.Mount::isCamber).isPresent()) {
                return child;
            }
            if (!child.isAlive()) {
                throw new CliFailure(CliFailure.LOCAL, "mount process exited with " + child.exitValue() + ": "
                        + tail(logFile));
            }
            sleep();
        }
        child.destroy();
        throw CliFailure.local("the mount did not come up within " + timeout.toSeconds() + " s (log " + logFile
                + "): " + tail(logFile));
    }

    /** The log's last lines: the child's own message about why it stopped. */
    static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())).strip();
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.local("interrupted while waiting for the mount");
        }
    }
}
