package io.camber.cli.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.cli.CliFailure;
import io.camber.common.api.ApplyResult;
import io.camber.common.api.LogicalPoolType;
import io.camber.common.api.TopologySpec;
import io.camber.common.api.TopologySpec.ChunkServerSpec;
import io.camber.common.api.TopologySpec.LogicalPoolSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class TopologyFileTest {

    public static final String CLUSTER_YAML = """
            # two zones of one physical pool
            physicalPools:
              - name: pool1
                zones:
                  - name: zone1
                    servers:
                      - name: server1
                        host: 10.0.0.1
                        chunkServers:
                          - {port: 8201, disk: /data/disk1, capacity: 1TiB}
                          - {port: 8202, disk: /data/disk2, capacity: 1099511627776}
                  - name: zone2
                    servers:
                      - name: server2
                        host: 10.0.0.2
                        chunkServers:
                          - port: 8201
                            disk: /data/disk1
            logicalPools:
              - name: pool1
                physicalPool: pool1
                type: REPLICATED
                replicas: 3
                copysets: 100
                chunkSize: 16MiB
                segmentSize: 1GiB
            """;

    @Test
    void convertsTheYamlHierarchyIntoTheSpec() {
        TopologySpec spec = TopologyFile.parse(CLUSTER_YAML, "cluster.yaml");

        assertThat(spec.physicalPools()).hasSize(1);
        var pool = spec.physicalPools().get(0);
        assertThat(pool.name()).isEqualTo("pool1");
        assertThat(pool.zones()).extracting(TopologySpec.ZoneSpec::name).containsExactly("zone1", "zone2");
        var server1 = pool.zones().get(0).servers().get(0);
        assertThat(server1.host()).isEqualTo("10.0.0.1");
        assertThat(server1.chunkServers()).containsExactly(
                new ChunkServerSpec(8201, "/data/disk1", "1TiB"),
                new ChunkServerSpec(8202, "/data/disk2", "1099511627776"));
        assertThat(pool.zones().get(1).servers().get(0).chunkServers())
                .containsExactly(new ChunkServerSpec(8201, "/data/disk1", null));
        assertThat(spec.logicalPools()).containsExactly(
                new LogicalPoolSpec("pool1", "pool1", LogicalPoolType.REPLICATED, 3, 100, "16MiB", "1GiB"));
    }

    @Test
    void readsFromAFileAndNamesAMissingFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, CLUSTER_YAML);

        assertThat(TopologyFile.read(file).physicalPools()).hasSize(1);
        assertThatThrownBy(() -> TopologyFile.read(dir.resolve("nope.yaml")))
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("nope.yaml does not exist");
    }

    @Test
    void aMisspeltKeyIsAnErrorNamingTheKeyAndWhereItIs() {
        String typo = CLUSTER_YAML.replace("host: 10.0.0.2", "hostname: 10.0.0.2");

        assertThatThrownBy(() -> TopologyFile.parse(typo, "cluster.yaml"))
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("cluster.yaml")
                .hasMessageContaining("unknown key 'hostname' at physicalPools[0].zones[1].servers[0].hostname")
                .hasMessageContaining("expected one of: chunkServers, host, name");
    }

    @Test
    void anUnknownPoolTypeIsAnError() {
        String ec = CLUSTER_YAML.replace("type: REPLICATED", "type: ERASURE_CODED");

        assertThatThrownBy(() -> TopologyFile.parse(ec, "cluster.yaml"))
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("ERASURE_CODED")
                .hasMessageContaining("at logicalPools[0].type");
    }

    @Test
    void refusesTextThatIsNotAMappingOrHasNoPools() {
        assertThatThrownBy(() -> TopologyFile.parse("- just\n- a list\n", "x.yaml"))
                .hasMessageContaining("x.yaml must be a mapping");
        assertThatThrownBy(() -> TopologyFile.parse("logicalPools: []\n", "x.yaml"))
                .hasMessageContaining("declares no physicalPools");
        assertThatThrownBy(() -> TopologyFile.parse("physicalPools: [unclosed\n", "x.yaml"))
                .hasMessageContaining("x.yaml is not valid YAML");
    }

    @Test
    void rendersApplyResultsAndDryRuns() {
        assertThat(TopologyCommand.renderApply(new ApplyResult(true, List.of("add zone zone1")), false))
                .isEqualTo("applied 1 change(s):\n  add zone zone1\n");
        assertThat(TopologyCommand.renderApply(new ApplyResult(false, List.of("add zone zone1")), true))
                .startsWith("dry run, would apply 1 change(s)");
        assertThat(TopologyCommand.renderApply(new ApplyResult(true, List.of()), false))
                .contains("unchanged");
    }
}
