package io.camber.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.cli.bench.BenchPlan.BenchCase;
import io.camber.cli.bench.BenchPlan.CopysetMode;
import io.camber.cli.bench.BenchPlan.Op;
import io.camber.cli.http.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTableTest {

    private static Latencies millis(long... ms) {
        Latencies l = new Latencies();
        for (long m : ms) {
            l.record(m * 1_000_000);
        }
        return l;
    }

    @Test
    void rowDerivesThroughputFromOpsSizeAndWallTime() {
        BenchRow row = BenchRow.of(new BenchCase(CopysetMode.ALL, Op.WRITE, 1024 * 1024, 8), 200, 2_000_000_000L,
                millis(1, 2, 3, 40), 812.5, 6.25, 0);

        assertThat(row.opsPerSec()).isEqualTo(100.0);
        assertThat(row.mibPerSec()).isEqualTo(100.0);
        assertThat(row.p50Ms()).isEqualTo(2.0);
        assertThat(row.p99Ms()).isEqualTo(40.0);
    }

    @Test
    void rendersOneLinePerCaseWithCpuAndDiskRatioOnlyForWrites() {
        List<BenchRow> rows = List.of(
                BenchRow.of(new BenchCase(CopysetMode.ONE, Op.WRITE, 4096, 1), 500, 1_000_000_000L, millis(2, 2, 3),
                        10_954.4, 6.4321, 0),
                BenchRow.of(new BenchCase(CopysetMode.ONE, Op.WRITE, 65536, 32), 10, 1_000_000_000L, millis(12),
                        null, null, 3),
                BenchRow.of(new BenchCase(CopysetMode.ALL, Op.READ, 4096, 8), 0, 1_000_000_000L, new Latencies(),
                        null, null, 0));

        assertThat(BenchTable.render(rows)).isEqualTo(
                "MODE  OP     SIZE   QD  OPS/S  MIB/S  P50-MS  P99-MS  CPU-US/OP  DISK/CLIENT  ERRORS\n"
                        + "one   write  4KiB   1   500    2.0    2.00    3.00    10954      6.43         0\n"
                        + "one   write  64KiB  32  10     0.6    12.0    12.0    n/a        n/a          3\n"
                        + "all   read   4KiB   8   0      0.0    -       -       n/a        -            0\n");
    }

    @Test
    void jsonCarriesEveryFieldWithNullForUnknownRatio() {
        BenchRow row = BenchRow.of(new BenchCase(CopysetMode.ONE, Op.READ, 4096, 1), 10, 1_000_000_000L, millis(1),
                120.0, null, 0);

        String json = Json.LENIENT.writeValueAsString(List.of(row));

        assertThat(json).contains("\"mode\":\"one\"", "\"op\":\"read\"", "\"sizeBytes\":4096", "\"depth\":1",
                "\"opsPerSec\":10.0", "\"cpuMicrosPerOp\":120.0", "\"diskPerClientByte\":null", "\"p50Ms\":1.0");
    }
}
