package io.camber.cli.playground;

import io.camber.cli.playground.Playground.ProcessStatus;
import io.camber.cli.playground.PlaygroundState.ProcessRecord;
import io.camber.cli.render.Table;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the playground prints: the endpoints after {@code up} and the table of {@code status}. */
public final class PlaygroundReport {

    private PlaygroundReport() {
    }

    /** Endpoints, metrics, data and log locations, and commands to try next. */
    public static String started(PlaygroundState state, Path dir, double seconds, Path demoMount) {
        Table table = new Table("SERVICE", "PID", "URL", "RAFT", "PROMETHEUS");
        for (ProcessRecord r : state.processes()) {
            String url = "http://127.0.0.1:" + r.httpPort();
            table.row(r.name(), r.pid(), url, r.raftPort() == null ? null : "127.0.0.1:" + r.raftPort(),
                    url + "/actuator/prometheus");
        }
        String dirFlag = dir.equals(Path.of("playground").toAbsolutePath().normalize()) ? "" : " --dir " + dir;
        return String.format(Locale.ROOT, "%nCamber playground is up in %s (started in %.1f s)%n%n", dir, seconds)
                + table.render()
                + state.processes().stream().filter(r -> r.name().equals("gateway")).findFirst()
                        .map(r -> "\nGateway (admin API and S3): http://127.0.0.1:" + r.httpPort() + "\n").orElse("\n")
                + state.processes().stream().filter(r -> r.name().equals("nbd")).findFirst()
                        .map(r -> "NBD: nbd://127.0.0.1:" + PlaygroundLayout.NBD_PORT + PlaygroundLayout.DEMO_VOLUME
                                + "  (any volume: nbd://127.0.0.1:" + PlaygroundLayout.NBD_PORT + "/<path>)\n"
                                + "  nbdinfo nbd://127.0.0.1:" + PlaygroundLayout.NBD_PORT + PlaygroundLayout.DEMO_VOLUME
                                + "\n  fio --name=t --ioengine=nbd --uri=nbd://127.0.0.1:" + PlaygroundLayout.NBD_PORT
                                + PlaygroundLayout.DEMO_VOLUME + " --rw=randwrite --bs=4k --iodepth=32 --size=1g\n")
                        .orElse("")
                + s3(dir, demoMount)
                + "Data:  " + dir.resolve("data") + "/<service>\n"
                + "Logs:  " + dir.resolve("logs") + "/<service>.log\n"
                + "Key:   " + PlaygroundCredentials.adminFile(dir) + " (admin API key; "
                + (dirFlag.isEmpty() ? "the CLI finds it by itself)\n"
                        : "export CAMBER_API_KEY=\"$(sed -n 's/^api-key=//p' " + PlaygroundCredentials.adminFile(dir)
                        + ")\" for the commands below)\n")
                + "\nTry:\n"
                + "  ./camber cluster status\n"
                + "  ./camber chunkserver ls\n"
                + "  ./camber volume mkdir /demo\n"
                + "  ./camber volume create /demo/vol1 --size 10GiB\n"
                + "  ./camber volume ls /demo\n"
                + "  ./camber copyset ls --pool pool1\n"
                + "  ./camber fs ls\n"
                + "  ./camber fs info " + PlaygroundLayout.DEMO_FS + "\n"
                + "  ./camber fs mount " + PlaygroundLayout.DEMO_FS + " " + demoMount + " --daemon\n"
                + "  ls -la " + demoMount + "\n"
                + "  ./camber fs umount " + demoMount + "      (before playground down)\n"
                + "  ./camber playground status" + dirFlag + "\n"
                + "  ./camber playground down" + dirFlag + "      (add --purge to delete the data too)\n";
    }

    /** How to reach S3 with the playground's key: s3cmd and aws, both configured by files the playground wrote. */
    static String s3(Path dir, Path demoMount) {
        Path cfg = PlaygroundCredentials.s3cmdConfig(dir);
        return "S3: http://127.0.0.1:" + PlaygroundLayout.GATEWAY_PORT + " (path-style; key and secret in "
                + PlaygroundCredentials.s3KeyFile(dir) + ")\n"
                + "  s3cmd -c " + cfg + " mb s3://photos\n"
                + "  s3cmd -c " + cfg + " put README.md s3://photos/docs/\n"
                + "  s3cmd -c " + cfg + " ls -r s3://photos\n"
                + "  (. " + PlaygroundCredentials.awsEnv(dir) + " && aws --endpoint-url http://127.0.0.1:"
                + PlaygroundLayout.GATEWAY_PORT + " s3 ls s3://photos --recursive)\n"
                + "  Buckets are top-level directories of file system " + PlaygroundLayout.DEMO_FS + ": once mounted, "
                + demoMount + "/photos/docs/README.md\n";
    }

    /** One row per process, then a one-line verdict. */
    public static String status(List<ProcessStatus> rows, Path dir) {
        Table table = new Table("NAME", "PID", "HTTP", "RAFT", "HEALTH", "ALIVE");
        rows.forEach(r -> table.row(r.name(), r.pid(), r.httpPort(), r.raftPort(), r.health(), r.alive() ? "yes" : "no"));
        long healthy = rows.stream().filter(r -> r.alive() && HealthProbe.UP.equals(r.health())).count();
        return table.render() + "\n" + healthy + "/" + rows.size() + " processes up and healthy in " + dir + "\n";
    }
}
