package io.camber.client.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FuseOptionsTest {

    @Test
    void mountArgsCarryInodeNumbersKernelPermissionChecksBigWritesAndTheTimeouts() {
        FuseOptions o = FuseOptions.defaults("demo").withTimeouts(Duration.ofMillis(2500), Duration.ofSeconds(5));
        assertThat(o.mountArgs()).containsExactly("-o", "fsname=camber:demo,subtype=camber,use_ino,default_permissions,"
                + "allow_other,big_writes,max_write=131072,entry_timeout=2.500,negative_timeout=0,attr_timeout=0");
    }

    @Test
    void withoutAllowOtherOnlyTheMountingUserGetsIn() {
        FuseOptions o = FuseOptions.defaults("demo");
        o = new FuseOptions("demo", o.entryTimeout(), o.attrTimeout(), o.maxWrite(), o.opTimeout(), false);
        assertThat(o.mountArgs().get(1)).doesNotContain("allow_other").contains("default_permissions");
    }

    @Test
    void openFilesStayReadableAfterUnlinkBecauseHardRemoveIsNeverSet() {
        assertThat(String.join(",", FuseOptions.defaults("demo").mountArgs())).doesNotContain("hard_remove");
    }

    @Test
    void refusesWhatLibfuseWouldLowerOrMisread() {
        assertThatThrownBy(() -> new FuseOptions("x", Duration.ZERO, Duration.ZERO, 256 * 1024, Duration.ofSeconds(1), true))
                .hasMessageContaining("131072");
        assertThatThrownBy(() -> new FuseOptions("x", Duration.ofSeconds(-1), Duration.ZERO, 4096, Duration.ofSeconds(1), true))
                .hasMessageContaining("timeouts");
        assertThatThrownBy(() -> new FuseOptions(" ", Duration.ZERO, Duration.ZERO, 4096, Duration.ofSeconds(1), true))
                .hasMessageContaining("name");
    }
}
