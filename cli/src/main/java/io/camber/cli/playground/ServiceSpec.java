package io.camber.cli.playground;

import java.nio.file.Path;
import java.util.List;

/**
 * One process of the playground: which module's exec jar it runs, its ports, its Spring arguments and the
 * start wave it belongs to.
 *
 * @param heap the process's maximum heap (-Xmx value); the operator's JVM options come after it and win
 */
public record ServiceSpec(String name, String module, int httpPort, Integer raftPort, Wave wave, List<String> args,
                          String heap) {

    /** A service with the small heap most services need. */
    public ServiceSpec(String name, String module, int httpPort, Integer raftPort, Wave wave, List<String> args) {
        this(name, module, httpPort, raftPort, wave, args, "256m");
    }

    /**
     * Start waves: each wave is healthy before the next one starts; processes of one wave start together. The
     * front doors (s3-proxy, gateway, NBD server) come last and together: an s3-proxy is healthy once it has mounted
     * the demo file system made after SERVICES, and none of the three needs another to start (the gateway resolves
     * the s3-proxy per request, the NBD server reaches the MDS directly too).
     */
    public enum Wave { CONFIG, MDS, SERVICES, FRONTENDS }

    public static final String VERSION = "0.1.0-SNAPSHOT";

    /** The Spring Boot exec jar of the module under the repository root. */
    public Path jar(Path repo) {
        return repo.resolve(module).resolve("target").resolve("camber-" + module + "-" + VERSION + "-exec.jar");
    }

    public String healthUrl() {
        return "http://127.0.0.1:" + httpPort + "/actuator/health";
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }
}
