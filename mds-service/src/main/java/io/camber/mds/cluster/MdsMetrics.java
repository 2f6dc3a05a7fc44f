package io.camber.mds.cluster;

import io.camber.mds.raft.MdsReplication;
import io.camber.server.rocks.RocksStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.function.ToLongFunction;

/** Registers the MDS gauges: Raft role and term, RocksDB size and memory, topology size. */
@Component
public class MdsMetrics {

    public MdsMetrics(MdsReplication mds, MeterRegistry registry) {
        Gauge.builder("camber.mds.raft.leader", mds, m -> m.node().isLeader() ? 1 : 0)
                .description("1 when this replica leads the MDS group").register(registry);
        Gauge.builder("camber.mds.raft.term", mds, m -> m.node().term()).register(registry);
        Gauge.builder("camber.mds.raft.applied.index", mds, m -> m.stateMachine().getLastAppliedTermIndex().getIndex())
                .register(registry);
        Gauge.builder("camber.mds.raft.snapshot.installs", mds, m -> m.stateMachine().snapshotInstalls())
                .description("snapshots installed from the leader since start").register(registry);
        rocks(registry, mds, "camber.mds.rocksdb.live.data", RocksStore::liveDataBytes, "on-disk size of live SST files");
        rocks(registry, mds, "camber.mds.rocksdb.memtable", RocksStore::memtableBytes, "bytes in memtables");
        rocks(registry, mds, "camber.mds.rocksdb.block.cache", RocksStore::blockCacheBytes,
                "bytes in the shared block cache, memtables included");
        Gauge.builder("camber.mds.chunkservers", mds, m -> m.stateMachine().topology().chunkServers().size())
                .register(registry);
        Gauge.builder("camber.mds.copysets", mds,
                m -> m.stateMachine().topology().copysets().values().stream().mapToInt(List::size).sum())
                .register(registry);
        Gauge.builder("camber.mds.metaservers", mds, m -> m.stateMachine().topology().metaServers().size())
                .description("meta-services registered").register(registry);
        Gauge.builder("camber.mds.filesystems", mds, m -> m.stateMachine()
                .readLocal(store -> (double) new io.camber.mds.fs.FsStore(store).all().size()).orElse(Double.NaN)).description("file systems").register(registry);
    }

    private static void rocks(MeterRegistry registry, MdsReplication mds, String name, ToLongFunction<RocksStore> f,
                              String description) {
        // Under the store lock: a snapshot install closes the store, and reading a closed RocksDB crashes the JVM.
        Gauge.builder(name, mds, m -> m.stateMachine().readLocal(store -> (double) f.applyAsLong(store))
                .orElse(Double.NaN)).baseUnit("bytes").description(description).register(registry);
    }
}
