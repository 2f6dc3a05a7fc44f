package io.camber.cli.fs;

import io.camber.cli.render.Table;
import io.camber.common.api.FsInfo;
import io.camber.common.api.MetaServerInfo;
import io.camber.common.api.PartitionInfo;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

/** Human renderings of file systems: an ls-style table, an info block with its partitions, the meta-services. */
public final class FsView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private FsView() {
    }

    /** One line per file system, by name. */
    public static String listing(List<FsInfo> all) {
        Table table = new Table("NAME", "ID", "POOL", "PARTITIONS", "INODES", "CREATED");
        all.stream().sorted(Comparator.comparing(FsInfo::name)).forEach(f -> table.row(f.name(), f.id(), f.pool(),
                f.partitions().size(), known(f.inodesUsed()), time(f.createdAtMillis())));
        return table.isEmpty() ? "(no file systems)\n" : table.render();
    }

    /** The name on the first line, its attributes, then one line per partition. */
    public static String info(FsInfo f) {
        StringBuilder out = new StringBuilder(f.name()).append('\n');
        Table.keyValues("id", f.id(), "pool", f.pool(), "data volume", f.dataVolume(), "pool capacity",
                bytes(f.capacityBytes()), "pool used", bytes(f.usedBytes()), "inodes", known(f.inodesUsed()),
                "partitions", f.partitions().size(), "created", time(f.createdAtMillis()))
                .lines().forEach(l -> out.append("  ").append(l).append('\n'));
        Table partitions = new Table("PARTITION", "INODE RANGE", "USED", "NEXT", "LEADER", "MEMBERS");
        for (PartitionInfo p : f.partitions()) {
            partitions.row(p.partitionId(), "[" + p.start() + ", " + p.end() + ")", known(p.inodesUsed()),
                    known(p.nextIno()), p.leader(), members(p));
        }
        if (!partitions.isEmpty()) {
            out.append('\n');
            partitions.render().lines().forEach(l -> out.append("  ").append(l).append('\n'));
        }
        return out.toString();
    }

    /** One line per meta-service, by id. */
    public static String metaServers(List<MetaServerInfo> all) {
        Table table = new Table("ID", "PEER", "ZONE", "SERVER", "ADDRESS", "HTTP", "STATE", "PARTITIONS");
        all.stream().sorted(Comparator.comparingLong(MetaServerInfo::id)).forEach(m -> table.row(m.id(), m.peerId(),
                m.zone(), m.server(), m.host() + ":" + m.raftPort(), m.httpPort(), m.state(), m.partitions()));
        return table.isEmpty() ? "(no meta-services registered)\n" : table.render();
    }

    private static String members(PartitionInfo p) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < p.peerIds().size(); i++) {
            sb.append(i == 0 ? "" : ",").append(p.peerIds().get(i)).append('@').append(p.addresses().get(i));
        }
        return sb.toString();
    }

    private static String bytes(long value) {
        return value < 0 ? null : io.camber.common.ByteSizes.format(value);
    }

    /** Heartbeat-reported numbers are -1 until reported: shown as "-". */
    private static Object known(long value) {
        return value < 0 ? null : value;
    }

    private static String time(long millis) {
        return millis <= 0 ? null : TIME.format(Instant.ofEpochMilli(millis));
    }
}
