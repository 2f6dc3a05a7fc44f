"""Tests of bench/nbd_fio.py on recorded and hand-made inputs: python3 -m unittest discover -s bench"""
import json
import os
import tempfile
import unittest

import nbd_fio

# The nbd engine's banner, then fio's JSON (trimmed to the fields the helper reads), then a late warning.
FIO_OUT = "fio: connected to NBD server\n" + json.dumps({"fio version": "fio-3.33", "jobs": [{
    "jobname": "camber", "error": 0,
    "read": {"io_bytes": 0, "bw_bytes": 0, "iops": 0.0, "runtime": 0, "total_ios": 0, "clat_ns": {}},
    "write": {"io_bytes": 4096 * 3000, "bw_bytes": 4096 * 200, "iops": 200.0, "runtime": 15000, "total_ios": 3000,
              "clat_ns": {"percentile": {"50.000000": 4_587_520, "99.000000": 20_316_160}}},
    "sync": {"total_ios": 0, "lat_ns": {"percentile": {"50.000000": 43_264, "99.000000": 2_126_464}}},
}]}, indent=2) + "\nfio: some trailing note\n"


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def sample(total, busy, camber, nbdkit, harness, sectors):
    return {"time": 0, "total": total, "busy": busy, "camber": camber, "nbdkit": nbdkit, "harness": harness,
            "device": "vda", "sectors_written": sectors}


class CountersTest(unittest.TestCase):

    def test_cpu_ticks_survive_spaces_and_parens_in_the_command_name(self):
        stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 900 0 0 0 1500 250 30 12 20 0 77 0 1234 0 0"
        self.assertEqual(nbd_fio.cpu_ticks(stat), 1750)
        self.assertEqual(nbd_fio.children_ticks(stat), 42)

    def test_machine_ticks_count_steal_as_busy_and_iowait_as_idle(self):
        text = "cpu  100 5 50 800 40 3 2 10 0 0\ncpu0 50 2 25 400 20 1 1 5 0 0\nctxt 99\n"
        self.assertEqual(nbd_fio.machine_ticks(text), (1010, 170))

    def test_sectors_written_is_field_seven(self):
        self.assertEqual(nbd_fio.sectors_written("  52134 8934 4823390 21038 1201334 811203 2890213 934120 0 1 2\n"),
                         2890213)

    def test_a_partition_maps_to_its_whole_disk(self):
        with tempfile.TemporaryDirectory() as tmp:
            disk = os.path.join(tmp, "sys/devices/virtio1/block/vdb")
            os.makedirs(os.path.join(disk, "vdb1"))
            write(os.path.join(disk, "stat"), "1 2 3 4 5 6 7 8\n")
            write(os.path.join(disk, "vdb1/partition"), "1\n")
            st = os.stat(tmp)
            os.makedirs(os.path.join(tmp, "sys/dev/block"))
            os.symlink("../../devices/virtio1/block/vdb/vdb1",
                       os.path.join(tmp, "sys/dev/block", f"{os.major(st.st_dev)}:{os.minor(st.st_dev)}"))
            self.assertEqual(nbd_fio.block_device_dir(tmp, sysfs=os.path.join(tmp, "sys")), os.path.realpath(disk))

    def test_an_anonymous_device_number_falls_back_to_the_mount_source(self):
        with tempfile.TemporaryDirectory() as tmp:
            disk = os.path.join(tmp, "sys/devices/pci/block/sdz")
            os.makedirs(os.path.join(disk, "sdz2"))
            write(os.path.join(disk, "stat"), "1 2 3 4 5 6 7 8\n")
            write(os.path.join(disk, "sdz2/partition"), "2\n")
            os.makedirs(os.path.join(tmp, "sys/class/block"))
            os.symlink("../../devices/pci/block/sdz/sdz2", os.path.join(tmp, "sys/class/block/sdz2"))
            mountinfo = os.path.join(tmp, "mountinfo")
            write(mountinfo, "27 1 254:0 / / rw - ext4 /dev/vda rw\n"
                                       f"41 27 0:45 / {os.path.realpath(tmp)} rw - btrfs /dev/sdz2 rw\n")
            self.assertEqual(nbd_fio.block_device_dir(tmp, sysfs=os.path.join(tmp, "sys"), mountinfo=mountinfo),
                             os.path.realpath(disk))


class RecordsTest(unittest.TestCase):

    def setUp(self):
        os.environ["CLK_TCK"] = "100"

    def test_fio_json_is_found_after_the_banner_and_before_trailing_text(self):
        self.assertEqual(nbd_fio.fio_job(FIO_OUT)["jobname"], "camber")
        with self.assertRaises(ValueError):
            nbd_fio.fio_job("fio: connection refused\n")

    def test_job_record_charges_camber_cpu_and_device_bytes_per_request(self):
        before = sample(10_000, 2_000, {"chunk-service-1": 500, "nbd": 100}, 7, 40, 1_000)
        after = sample(13_000, 2_900, {"chunk-service-1": 800, "nbd": 160}, 9, 70, 1_000 + 6 * 3000 * 8)
        r = nbd_fio.job_record(FIO_OUT, before, after, "randwrite 4k 1", "camber")
        self.assertEqual((r["job"], r["ops"], r["iops"]), ("randwrite 4k QD1", 3000, 200.0))
        self.assertAlmostEqual(r["p50_ms"], 4.58752)
        self.assertAlmostEqual(r["camber_cpu_us_per_req"], 360 * 10_000 / 3000)  # 360 ticks of 10 ms
        self.assertAlmostEqual(r["device_per_client_byte"], 6.0)
        # busy 900 - camber 360 - nbdkit 2 - harness 30 = 508 of 3000 ticks
        self.assertAlmostEqual(r["other_cpu_pct"], 100 * 508 / 3000)
        self.assertTrue(r["contended"])
        self.assertEqual(r["camber_lost"], [])

    def test_a_camber_process_gone_during_the_job_is_named(self):
        before = sample(0, 0, {"chunk-service-1": 5, "chunk-service-2": 5}, 0, 0, 0)
        after = sample(100, 10, {"chunk-service-1": 8}, 0, 0, 0)
        r = nbd_fio.job_record(FIO_OUT, before, after, "randwrite 4k 1", "camber")
        self.assertEqual(r["camber_lost"], ["chunk-service-2"])
        self.assertFalse(r["contended"])

    def test_floor_flags_a_contended_disk(self):
        r = nbd_fio.floor_record(FIO_OUT, "start")
        self.assertAlmostEqual(r["sync_p50_ms"], 0.043264)
        self.assertFalse(r["disk_contended"])

    def test_table_shows_medians_the_ratio_and_flags(self):
        base = {"type": "job", "job": "randwrite 4k QD1", "error": 0, "camber_lost": [], "contended": False,
                "other_cpu_pct": 2.0, "mibs": 1.0, "p50_ms": 1.0, "p99_ms": 2.0, "camber_cpu_us_per_req": None,
                "device_per_client_byte": None}
        rows = [dict(base, target="camber", iops=100.0, camber_cpu_us_per_req=9000.0, device_per_client_byte=9.0),
                dict(base, target="camber", iops=300.0, camber_cpu_us_per_req=7000.0, device_per_client_byte=7.0,
                     contended=True, other_cpu_pct=35.0),
                dict(base, target="nbdkit-fua", iops=1000.0)]
        line = [l for l in nbd_fio.table(rows).splitlines() if l.startswith("randwrite")][0]
        self.assertEqual(line.split()[:4], ["randwrite", "4k", "QD1", "fua"])
        self.assertIn(" 200 ", line)  # median IOPS
        self.assertIn(" 0.200 ", line)  # ratio against nbdkit-fua
        self.assertIn(" 8000 ", line)
        self.assertIn(" 8.00 ", line)
        self.assertIn("contended, median of 2", line)


if __name__ == "__main__":
    unittest.main()
