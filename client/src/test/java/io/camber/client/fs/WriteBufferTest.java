package io.camber.client.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class WriteBufferTest {
    private final WriteBuffer buffer = new WriteBuffer(10_000);

    @Test
    void takesWritesThatOverlapOrContinueTheRunWithinItsCapacity() {
        assertThat(buffer.growthFor(100, 50)).as("anything starts a run").isEqualTo(50);
        buffer.put(100, ByteBuffer.wrap(new byte[50]));
        assertThat(buffer.growthFor(150, 10)).as("continues it").isEqualTo(10);
        assertThat(buffer.growthFor(120, 10)).as("inside it").isZero();
        assertThat(buffer.growthFor(140, 20)).as("overlaps its end").isEqualTo(10);
        assertThat(buffer.growthFor(151, 10)).as("a gap").isEqualTo(-1);
        assertThat(buffer.growthFor(99, 10)).as("before it").isEqualTo(-1);
        assertThat(buffer.growthFor(150, 9_951)).as("past the capacity").isEqualTo(-1);
        assertThat(buffer.growthFor(150, 9_950)).isEqualTo(9_950);
    }

    @Test
    void laterBytesWinAndTakeEmptiesIt() {
        buffer.put(0, ByteBuffer.wrap(new byte[] {1, 1, 1, 1}));
        buffer.put(2, ByteBuffer.wrap(new byte[] {2, 2, 2, 2}));
        WriteBuffer.Run run = buffer.take();
        assertThat(run.offset()).isZero();
        byte[] got = new byte[run.data().remaining()];
        run.data().get(got);
        assertThat(got).containsExactly(1, 1, 2, 2, 2, 2);
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.take()).isNull();
        assertThat(buffer.growthFor(5000, 1)).as("a new run starts anywhere").isEqualTo(1);
    }
}
