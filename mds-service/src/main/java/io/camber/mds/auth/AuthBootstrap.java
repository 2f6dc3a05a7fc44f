package io.camber.mds.auth;

import io.camber.common.auth.ApiKey;
import io.camber.common.auth.ApiRole;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsReplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;

/**
 * What the MDS sets up once its group has a leader: the data-token signing key (every replica proposes one while
 * it sees none; the first applied wins) and, when camber.auth.bootstrap-credentials-file is set, no key is stored
 * yet and that file does not exist, a first admin key written there with mode 0600.
 */
@Component
public class AuthBootstrap implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuthBootstrap.class);

    private final MdsReplication mds;
    private final AuthProperties props;
    private final Clock clock;
    private volatile Disposable running;

    public AuthBootstrap(MdsReplication mds, AuthProperties props, Clock clock) {
        this.mds = mds;
        this.props = props;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        // Retried until the group answers: at start it may have no leader for a while.
        running = Mono.defer(this::signingKey).then(Mono.defer(this::credentialsFile))
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofSeconds(2))
                        .doBeforeRetry(s -> LOG.debug("event=auth_bootstrap_retry error={}", s.failure().toString())))
                .subscribe(x -> { }, e -> LOG.warn("event=auth_bootstrap_failed error={}", e.toString()));
    }

    private Mono<Boolean> signingKey() {
        if (!mds.stateMachine().auth().signingKeys().isEmpty()) {
            return Mono.just(false);
        }
        SigningKeyRecord key = SigningKeyRecord.generate(1, clock.millis());
        return mds.submit(new MdsCommand.InstallSigningKey(key, true), Boolean.class)
                .doOnNext(added -> {
                    if (Boolean.TRUE.equals(added)) {
                        LOG.info("event=signing_key_installed key_id={}", key.keyId());
                    }
                });
    }

    private Mono<Void> credentialsFile() {
        Path file = props.bootstrapCredentialsFile();
        if (file == null || Files.exists(file) || !mds.stateMachine().auth().apiKeys().isEmpty()) {
            return Mono.empty();
        }
        ApiKey key = ApiKey.generate();
        ApiKeyRecord record = new ApiKeyRecord(key.id(), "bootstrap admin", ApiRole.ADMIN, key.hash(), clock.millis());
        return mds.submit(new MdsCommand.CreateApiKey(record), Boolean.class)
                .publishOn(Schedulers.boundedElastic())
                .doOnNext(x -> {
                    write(file, key);
                    LOG.info("event=bootstrap_key_written key_id={} file={}", key.id(), file);
                }).then();
    }

    /** Writes the key as a credentials file (the CLI's format), owner-only, fsync'd before it is announced. */
    static void write(Path file, ApiKey key) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(("# Camber admin API key, created by the MDS on first start\n"
                        + "api-key=" + key.text() + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bootstrap credentials to " + file, e);
        }
    }

    @Override
    public void close() {
        Disposable d = running;
        if (d != null) {
            d.dispose();
        }
    }
}
