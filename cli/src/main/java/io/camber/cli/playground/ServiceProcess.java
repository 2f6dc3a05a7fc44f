package io.camber.cli.playground;

import io.camber.cli.CliFailure;
import io.camber.cli.playground.PlaygroundState.ProcessRecord;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Starts a service as a detached {@code java -jar} process and stops only processes recorded as ours. */
public final class ServiceProcess {

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final long START_TIME_SLACK_MILLIS = 2_000;

    private ServiceProcess() {
    }

    /**
     * Launches the service with its working directory in {@code <dir>/data/<name>} and stdout/stderr appended to
     * {@code <dir>/logs/<name>.log}. setsid puts it in its own session, so a Ctrl-C or a closed terminal after
     * {@code up} does not take the cluster down with the CLI.
     */
    public static ProcessRecord launch(ServiceSpec spec, Path repo, Path dir, List<String> jvmOptions) {
        Path jar = RunJars.copyOf(spec.jar(repo), dir);
        Path workDir = dir.resolve("data").resolve(spec.name());
        Path log = dir.resolve("logs").resolve(spec.name() + ".log");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + spec.heap());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(spec.args());
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(log.getParent());
            Files.writeString(log, "=== " + Instant.now() + " starting: " + String.join(" ", command) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true)
                    .start();
            long started = process.info().startInstant().map(Instant::toEpochMilli).orElse(System.currentTimeMillis());
            return new ProcessRecord(spec.name(), process.pid(), spec.httpPort(), spec.raftPort(), jar.toString(),
                    log.toString(), started);
        } catch (IOException e) {
            throw CliFailure.local("cannot start " + spec.name() + " (" + String.join(" ", command) + "): "
                    + e.getMessage());
        }
    }

    /** The live process behind a record, if its pid still runs the process we started. */
    public static Optional<ProcessHandle> handle(ProcessRecord record) {
        return ProcessHandle.of(record.pid())
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().startInstant()
                        .map(t -> Math.abs(t.toEpochMilli() - record.processStartMillis()) <= START_TIME_SLACK_MILLIS)
                        .orElse(true));
    }

    public static boolean isAlive(ProcessRecord record) {
        return handle(record).isPresent();
    }

    /**
     * Sends SIGTERM to every live recorded process at once, waits up to {@code grace} for them all, then kills the
     * ones still running. Returns how many were running.
     */
    public static int stop(List<ProcessRecord> records, Duration grace) {
        List<ProcessHandle> running = records.stream().map(ServiceProcess::handle).flatMap(Optional::stream).toList();
        running.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : running) {
            long left = deadline - System.nanoTime();
            try {
                h.onExit().get(Math.max(left, 0), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
            } catch (java.util.concurrent.ExecutionException e) {
                h.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : running) {
            try {
                h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // killed processes are reaped by the kernel; nothing more we can do from here
            }
        }
        return running.size();
    }

    /** The last lines of a log file (read from its last 64 KiB), for printing when a service does not come up. */
    public static String tail(Path log, int lines) {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, file.length() - 64 * 1024);
            byte[] bytes = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            List<String> all = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
