package io.camber.common.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.chunk.DataFrame.Kind;
import io.camber.common.chunk.DataFrame.Status;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DataFrameTest {

    @Test
    void aRequestKeepsItsCallerAndCarriesTheChunkRequestUnchanged() {
        UUID group = UUID.randomUUID();
        UUID client = UUID.randomUUID();
        ByteBuffer chunkRequest = ChunkRequest.read(42, 8192, 4096).encodeHeader();
        ByteBuffer frame = concat(DataFrame.requestHeader(7, Kind.READ, group, client, 99), chunkRequest.duplicate());

        DataFrame.Request r = DataFrame.decodeRequest(frame);

        assertThat(r.tag()).isEqualTo(7);
        assertThat(r.kind()).isEqualTo(Kind.READ);
        assertThat(r.group()).isEqualTo(group);
        assertThat(r.client()).isEqualTo(client);
        assertThat(r.callId()).isEqualTo(99);
        ChunkRequest decoded = ChunkRequest.decode(r.body());
        assertThat(decoded.chunkId()).isEqualTo(42);
        assertThat(decoded.offset()).isEqualTo(8192);
        assertThat(decoded.length()).isEqualTo(4096);
    }

    @Test
    void repliesCarryTheLeaderHintOrAMessage() {
        DataFrame.Reply notLeader = DataFrame.decodeReply(concat(DataFrame.replyHeader(3, Status.NOT_LEADER),
                DataFrame.leaderBody(12)));
        assertThat(notLeader.tag()).isEqualTo(3);
        assertThat(notLeader.status()).isEqualTo(Status.NOT_LEADER);
        assertThat(notLeader.leaderHint()).isEqualTo(12);

        DataFrame.Reply retry = DataFrame.decodeReply(concat(DataFrame.replyHeader(4, Status.RETRY),
                DataFrame.messageBody("leader not ready yet")));
        assertThat(retry.message()).isEqualTo("leader not ready yet");
        assertThat(retry.leaderHint()).as("only NOT_LEADER carries a hint").isEqualTo(-1);
    }

    @Test
    void truncatedOrUnknownFramesAreRefusedWithAReason() {
        assertThatThrownBy(() -> DataFrame.decodeRequest(ByteBuffer.allocate(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorter than");
        ByteBuffer badKind = DataFrame.requestHeader(1, Kind.WRITE, UUID.randomUUID(), UUID.randomUUID(), 1);
        badKind.put(8, (byte) 9);
        assertThatThrownBy(() -> DataFrame.decodeRequest(badKind)).hasMessageContaining("kind 9");
        ByteBuffer badStatus = DataFrame.replyHeader(1, Status.OK);
        badStatus.put(8, (byte) -1);
        assertThatThrownBy(() -> DataFrame.decodeReply(badStatus)).hasMessageContaining("status -1");
        assertThatThrownBy(() -> DataFrame.decodeReply(ByteBuffer.allocate(3))).hasMessageContaining("shorter");
    }

    private static ByteBuffer concat(ByteBuffer a, ByteBuffer b) {
        return ByteBuffer.allocate(a.remaining() + b.remaining()).put(a).put(b).flip();
    }
}
