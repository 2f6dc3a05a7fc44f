package io.camber.cli.bench;

import io.camber.cli.render.HumanSize;
import io.camber.cli.render.Table;
import java.util.List;
import java.util.Locale;

/** Renders bench rows as the plain-text table {@code bench chunks} prints. */
public final class BenchTable {

    private BenchTable() {
    }

    public static String render(List<BenchRow> rows) {
        Table table = new Table("MODE", "OP", "SIZE", "QD", "OPS/S", "MIB/S", "P50-MS", "P99-MS", "CPU-US/OP",
                "DISK/CLIENT", "ERRORS");
        for (BenchRow r : rows) {
            table.row(r.mode(), r.op(), HumanSize.of(r.sizeBytes()), r.depth(), fixed(r.opsPerSec(), 0),
                    fixed(r.mibPerSec(), 1), millis(r.p50Ms()), millis(r.p99Ms()),
                    r.cpuMicrosPerOp() == null ? "n/a" : fixed(r.cpuMicrosPerOp(), 0), disk(r), r.errors());
        }
        return table.render();
    }

    private static String disk(BenchRow r) {
        if (!r.op().equals(BenchPlan.Op.WRITE.label())) {
            return "-";
        }
        return r.diskPerClientByte() == null ? "n/a" : fixed(r.diskPerClientByte(), 2);
    }

    private static String millis(Double ms) {
        if (ms == null) {
            return "-";
        }
        return fixed(ms, ms < 10 ? 2 : 1);
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
