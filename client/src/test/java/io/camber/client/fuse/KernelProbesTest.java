package io.camber.client.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.client.fs.CamberFs.FsUsage;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KernelProbesTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger asked = new AtomicInteger();
    private final KernelProbes probes = new KernelProbes(Duration.ofNanos(100), now::get);

    private byte[] absent() {
        asked.incrementAndGet();
        throw FsException.of(FsError.ENODATA, "none");
    }

    @Test
    void securityXattrAbsenceIsKeptForTheTtlAndForgottenOnALocalChange() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> probes.xattr(7, "security.capability", this::absent))
                    .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.error()).isEqualTo(FsError.ENODATA));
        }
        assertThat(asked).hasValue(1);
        probes.xattrsChanged(7);
        assertThat(probes.xattr(7, "security.capability", () -> new byte[] {1})).containsExactly(1);
        assertThatThrownBy(() -> probes.xattr(7, "security.selinux", this::absent));
        now.addAndGet(100);
        assertThatThrownBy(() -> probes.xattr(7, "security.selinux", this::absent));
        assertThat(asked).as("asked again after the ttl").hasValue(3);
    }

    @Test
    void aFileThisMountCreatedHasNoSecurityXattrsUntilTheTtlOrALocalSet() {
        probes.created(8);
        assertThatThrownBy(() -> probes.xattr(8, "security.capability", this::absent))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.error()).isEqualTo(FsError.ENODATA));
        assertThat(asked).as("not asked: just created").hasValue(0);
        assertThatThrownBy(() -> probes.xattr(8, "user.x", this::absent));
        assertThat(asked).as("user xattrs are asked").hasValue(1);
        probes.xattrsChanged(8);
        assertThat(probes.xattr(8, "security.capability", () -> new byte[] {2})).containsExactly(2);
        probes.created(9);
        now.addAndGet(100);
        assertThat(probes.xattr(9, "security.capability", () -> new byte[] {3})).as("after the ttl").containsExactly(3);
    }

    @Test
    void userXattrsAreAlwaysAsked() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> probes.xattr(7, "user.colour", this::absent));
        }
        assertThat(asked).hasValue(3);
    }

    @Test
    void usageIsFetchedOncePerTtl() {
        FsUsage u = new FsUsage(10, 1, 9, 5, 5);
        assertThat(probes.usage(() -> { asked.incrementAndGet(); return u; })).isEqualTo(u);
        probes.usage(() -> { asked.incrementAndGet(); return u; });
        assertThat(asked).hasValue(1);
        now.addAndGet(100);
        probes.usage(() -> { asked.incrementAndGet(); return u; });
        assertThat(asked).hasValue(2);
    }
}
