package io.camber.mds.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.common.api.ChunkServerState;
import io.camber.mds.topology.Topology;
import io.camber.server.codec.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Records as versions before the data port and volume ids wrote them, into the stores and the Raft log. A
 * replica restarted on a newer version must still read them, or it cannot start (seen on a playground kept
 * across an upgrade: the MDS failed to load its topology).
 */
class OlderRecordsTest {

    private static <T> T read(String json, Class<T> type) {
        return Json.read(json.getBytes(StandardCharsets.UTF_8), type);
    }

    @Test
    void aStoredChunkServerWithoutADataPortReadsAsPortZero() {
        Topology.ChunkServer cs = read("{\"id\":4,\"serverId\":3,\"host\":\"127.0.0.1\",\"port\":8211,"
                + "\"diskPath\":\"/d\",\"capacityBytes\":1,\"state\":\"REGISTERED\"}", Topology.ChunkServer.class);
        assertThat(cs.dataPort()).isZero();
        assertThat(cs.port()).isEqualTo(8211);
        assertThat(cs.state()).isEqualTo(ChunkServerState.REGISTERED);
    }

    @Test
    void loggedCommandsFromBeforeReplayAsTheyDidThen() {
        MdsCommand register = read("{\"op\":\"registerChunkServer\",\"registration\":{\"physicalPool\":\"pool1\","
                + "\"zone\":\"z\",\"server\":\"s\",\"host\":\"h\",\"port\":8211,\"diskPath\":\"/d\","
                + "\"capacityBytes\":1}}", MdsCommand.class);
        assertThat(((MdsCommand.RegisterChunkServer) register).registration().dataPort()).isZero();

        MdsCommand allocate = read("{\"op\":\"allocateSegment\",\"path\":\"/v\",\"offset\":0}", MdsCommand.class);
        assertThat(((MdsCommand.AllocateSegment) allocate).volumeId()).as("by path, as then").isNull();

        MdsCommand rename = read("{\"op\":\"rename\",\"from\":\"/a\",\"to\":\"/b\"}", MdsCommand.class);
        assertThat(((MdsCommand.Rename) rename).nowMillis()).as("no busy check on replay").isNull();
    }

    @Test
    void fileSystemCommandsLoggedWithoutTheOfflineListReplayPlacingOnEveryMetaServer() {
        MdsCommand create = read("{\"op\":\"createFs\",\"name\":\"demo\",\"partitions\":2,"
                + "\"inodesPerPartition\":1048576,\"nowMillis\":1}", MdsCommand.class);
        assertThat(((MdsCommand.CreateFs) create).offline()).isNull();
        assertThat(((MdsCommand.CreateFs) create).dataVolume()).as("replays without a data volume").isNull();
        MdsCommand add = read("{\"op\":\"addFsPartition\",\"name\":\"demo\",\"fullPartition\":0,"
                + "\"inodesPerPartition\":1048576}", MdsCommand.class);
        assertThat(((MdsCommand.AddFsPartition) add).offline()).isNull();
        MdsCommand delete = read("{\"op\":\"deleteFs\",\"name\":\"demo\",\"force\":false,\"inodesUsed\":1}",
                MdsCommand.class);
        assertThat(((MdsCommand.DeleteFs) delete).refuseMounted()).as("replays without the mount rule").isNull();
    }

    @Test
    void aStoredTopologyFromBeforeMetaServersLoadsWithNone() {
        Topology t = new Topology(5, java.util.List.of(), java.util.List.of(), java.util.List.of(), java.util.List.of(),
                java.util.List.of(), java.util.Map.of(), null);
        assertThat(t.metaServers()).isEmpty();
        // The stored document as written before: no metaServers field.
        Object doc = read("{\"nextId\":5,\"physicalPools\":[],\"zones\":[],\"servers\":[],\"chunkServers\":[],"
                + "\"logicalPools\":[]}", io.camber.mds.topology.Topology.class);
        assertThat(((Topology) doc).metaServers()).isEmpty();
    }

    @Test
    void aSessionAnsweredByAnMdsWithoutTokensReadsWithNoToken() {
        io.camber.common.api.SessionInfo s = read("{\"sessionId\":\"s\",\"volumeId\":3,\"path\":\"/a\","
                + "\"mode\":\"READ_WRITE\",\"client\":\"c\",\"epoch\":2,\"leaseMillis\":20000,"
                + "\"expiresAtMillis\":5,\"fenced\":false}", io.camber.common.api.SessionInfo.class);
        assertThat(s.token()).isNull();
        assertThat(s.epoch()).isEqualTo(2);
    }

    @Test
    void logEntriesOfEveryEarlierCommandStillParseNextToTheAuthCommands() {
        assertThat(read("{\"op\":\"closeSession\",\"sessionId\":\"s\"}", MdsCommand.class))
                .isInstanceOf(MdsCommand.CloseSession.class);
        assertThat(read("{\"op\":\"deleteApiKey\",\"id\":\"00000000000000a1\"}", MdsCommand.class))
                .isEqualTo(new MdsCommand.DeleteApiKey("00000000000000a1"));
    }
}
