package io.camber.cli.playground;

import io.camber.cli.CliFailure;
import io.camber.cli.Credentials;
import io.camber.common.auth.ApiKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The playground's keys, made once per playground directory and kept with it: an admin key in DIR/credentials
 * (where the CLI looks when the endpoint is the playground's), a service key for chunk services and the NBD server,
 * and the Spring property files that hand both to the MDS and the key to the chunk services. Keys travel in files
 * (mode 0600), never on command lines, where any local user could read them with ps.
 */
public final class PlaygroundCredentials {
    private PlaygroundCredentials() {
    }

    /** DIR/credentials: the admin key, in the CLI's credentials format. */
    public static Path adminFile(Path dir) {
        return dir.resolve("credentials");
    }

    /** The service key, in the CLI's credentials format (for `camber nbd serve --api-key-file`). */
    public static Path serviceFile(Path dir) {
        return dir.resolve("secrets").resolve("service-credentials");
    }

    /** Spring properties for the MDS: the admin and service keys it accepts. */
    public static Path mdsProperties(Path dir) {
        return dir.resolve("secrets").resolve("mds.properties");
    }

    /** Spring properties for the chunk services: the service key they call the MDS with. */
    public static Path chunkProperties(Path dir) {
        return dir.resolve("secrets").resolve("chunk.properties");
    }

    /** Spring properties for the meta-services: the service key they call the MDS with. */
    public static Path metaProperties(Path dir) {
        return dir.resolve("secrets").resolve("meta.properties");
    }

    /** Spring properties for the s3-proxy: the service key it reads S3 secrets and mounts the file system with. */
    public static Path s3Properties(Path dir) {
        return dir.resolve("secrets").resolve("s3.properties");
    }

    /** The S3 access key the playground made for its user: access key and secret, as properties. */
    public static Path s3KeyFile(Path dir) {
        return dir.resolve("secrets").resolve("s3-credentials");
    }

    /** An s3cmd configuration for the playground's gateway and S3 key. */
    public static Path s3cmdConfig(Path dir) {
        return dir.resolve("s3cfg");
    }

    /** Environment variables for awscli and the AWS SDKs, to source: the key, its secret and the region. */
    public static Path awsEnv(Path dir) {
        return dir.resolve("s3.env");
    }

    /** Keeps the playground's S3 key: the key file, an s3cmd configuration and an environment file for aws. */
    public static void writeS3Key(Path dir, String accessKey, String secretKey, int gatewayPort) {
        String endpoint = "127.0.0.1:" + gatewayPort;
        write(s3KeyFile(dir), "# S3 access key of this playground (camber s3 key ls lists it)\naccess-key=" + accessKey
                + "\nsecret-key=" + secretKey + "\n");
        write(s3cmdConfig(dir), "[default]\naccess_key = " + accessKey + "\nsecret_key = " + secretKey
                + "\nhost_base = " + endpoint + "\nhost_bucket = " + endpoint
                + "\nuse_https = False\nsignature_v2 = False\nbucket_location = us-east-1\n");
        write(awsEnv(dir), "export AWS_ACCESS_KEY_ID=" + accessKey + "\nexport AWS_SECRET_ACCESS_KEY=" + secretKey
                + "\nexport AWS_DEFAULT_REGION=us-east-1\nexport AWS_ENDPOINT_URL=http://" + endpoint + "\n");
    }

    /** Creates the files that are missing; existing keys are kept, so a restarted playground keeps its keys. */
    public static void ensure(Path dir) {
        String admin = Credentials.read(adminFile(dir)).orElse(null);
        String service = Credentials.read(serviceFile(dir)).orElse(null);
        if (admin == null) {
            admin = ApiKey.generate().text();
            write(adminFile(dir), "# Admin API key of this playground; the CLI uses it when talking to the playground\n"
                    + Credentials.KEY + "=" + admin + "\n");
        }
        if (service == null) {
            service = ApiKey.generate().text();
            write(serviceFile(dir), "# Service key of this playground (chunk services, NBD server)\n"
                    + Credentials.KEY + "=" + service + "\n");
        }
        write(mdsProperties(dir), "camber.auth.admin-key=" + admin + "\ncamber.auth.service-key=" + service + "\n");
        write(chunkProperties(dir), "camber.chunk.api-key=" + service + "\n");
        write(metaProperties(dir), "camber.meta.api-key=" + service + "\n");
        write(s3Properties(dir), "camber.s3.api-key=" + service + "\n");
    }

    /** The playground's admin key, once {@link #ensure} made it. */
    public static String adminKey(Path dir) {
        return Credentials.read(adminFile(dir)).orElseThrow(() -> CliFailure.local("the playground has no admin key in "
                + adminFile(dir) + ": run ./camber playground up"));
    }

    /** Writes text owner-only and fsync'd, replacing the file in one rename. */
    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw CliFailure.local("cannot write " + file + ": " + e.getMessage());
        }
    }
}
