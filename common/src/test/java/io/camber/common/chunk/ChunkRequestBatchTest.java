package io.camber.common.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkRequestBatchTest {

    private static ByteBuffer concat(ByteBuffer... parts) {
        int size = 0;
        for (ByteBuffer p : parts) {
            size += p.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer p : parts) {
            out.put(p.duplicate());
        }
        return out.flip();
    }

    @Test
    void aBatchCarriesWritesDeletesAndFencesInOrderWithTheirPayloads() {
        ByteBuffer a = ByteBuffer.wrap(new byte[4096]).put(0, (byte) 'a');
        ByteBuffer b = ByteBuffer.wrap(new byte[8192]).put(0, (byte) 'b');
        ChunkRequest w1 = ChunkRequest.write(1, 2, 3, 4096, a);
        ChunkRequest w2 = ChunkRequest.write(1, 2, 4, 0, b);
        ByteBuffer wire = concat(ChunkRequest.batchHeader(4), w1.encodeHeader(), a, ChunkRequest.delete(1, 2, 9)
                .encodeHeader(), w2.encodeHeader(), b, ChunkRequest.fence(1, 3).encodeHeader());
        ChunkRequest batch = ChunkRequest.decode(wire);
        assertThat(batch.op()).isEqualTo(ChunkRequest.Op.BATCH);
        List<ChunkRequest> ops = batch.batch();
        assertThat(ops).extracting(ChunkRequest::op).containsExactly(ChunkRequest.Op.WRITE, ChunkRequest.Op.DELETE,
                ChunkRequest.Op.WRITE, ChunkRequest.Op.FENCE);
        assertThat(ops.get(0).data().get(0)).isEqualTo((byte) 'a');
        assertThat(ops.get(0).offset()).isEqualTo(4096);
        assertThat(ops.get(2).data().remaining()).isEqualTo(8192);
        assertThat(ops.get(2).data().get(0)).isEqualTo((byte) 'b');
        assertThat(ops.get(3).epoch()).isEqualTo(3);
    }

    @Test
    void aBatchWithReadsOrMissingBytesIsRefused() {
        ByteBuffer withRead = concat(ChunkRequest.batchHeader(1), ChunkRequest.read(1, 0, 4096).encodeHeader());
        assertThatThrownBy(() -> ChunkRequest.decode(withRead).batch()).isInstanceOf(CamberException.class)
                .hasMessageContaining("not READ");
        ByteBuffer truncated = concat(ChunkRequest.batchHeader(2), ChunkRequest.fence(1, 1).encodeHeader());
        assertThatThrownBy(() -> ChunkRequest.decode(truncated).batch()).isInstanceOf(CamberException.class);
        ByteBuffer tooMany = ChunkRequest.batchHeader(ChunkRequest.MAX_BATCH + 1);
        assertThatThrownBy(() -> ChunkRequest.decode(tooMany)).isInstanceOf(CamberException.class);
    }

    @Test
    void aRepairCarriesItsBytesAndExpectedSequenceButNeverRidesInABatchOrComesFromClients() {
        ByteBuffer page = ByteBuffer.wrap(new byte[4096]).put(0, (byte) 'r');
        ChunkRequest repair = ChunkRequest.repair(5, 8192, page, 77);
        ChunkRequest decoded = ChunkRequest.decode(concat(repair.encodeHeader(), page));
        assertThat(decoded.op()).isEqualTo(ChunkRequest.Op.REPAIR);
        assertThat(decoded.epoch()).as("expected chunk sequence").isEqualTo(77);
        assertThat(decoded.data().get(0)).isEqualTo((byte) 'r');
        assertThat(decoded.isLogged()).isTrue();
        assertThat(decoded.fromClients()).isFalse();
        assertThat(ChunkRequest.scrub(5, 0, 4096).fromClients()).isFalse();
        assertThat(ChunkRequest.read(5, 0, 4096).fromClients()).isTrue();

        ByteBuffer batched = concat(ChunkRequest.batchHeader(1), repair.encodeHeader(), page);
        assertThatThrownBy(() -> ChunkRequest.decode(batched).batch()).isInstanceOf(CamberException.class)
                .hasMessageContaining("not REPAIR");
    }

    @Test
    void aSingleRequestWithTrailingBytesIsRefused() {
        ByteBuffer wire = concat(ChunkRequest.fence(1, 1).encodeHeader(), ByteBuffer.allocate(3));
        assertThatThrownBy(() -> ChunkRequest.decode(wire)).isInstanceOf(CamberException.class)
                .hasMessageContaining("after its end");
    }

    @Test
    void batchRepliesComeBackInOrderWithTheirCodes() {
        ChunkReply packed = ChunkReply.batch(List.of(ChunkReply.ok(4096, null),
                ChunkReply.failure(new CamberException(ErrorCode.FENCED, "newer writer")), ChunkReply.ok(1, null)));
        List<ChunkReply> back = ChunkReply.decode(packed.encode()).unbatch();
        assertThat(back).extracting(ChunkReply::error).containsExactly(null, ErrorCode.FENCED, null);
        assertThat(back.get(0).value()).isEqualTo(4096);
        assertThat(back.get(1).detail()).isEqualTo("newer writer");
    }
}
