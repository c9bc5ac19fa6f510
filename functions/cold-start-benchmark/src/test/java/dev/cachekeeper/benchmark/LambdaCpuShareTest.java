package dev.cachekeeper.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU quota {@code --lambda-memory} imposes, written into a directory that stands in for a cgroup (the kernel
 * files are plain files there), and the wrapper that moves a subject into it before it runs.
 */
class LambdaCpuShareTest {
    @TempDir
    Path cgroup;

    @Test
    void givesAFunctionItsShareOfOneVcpuPerLambdasDocumented1769Mb() {
        assertEquals(57_886, LambdaCpuShare.quotaMicros(1024));
        assertEquals(100_000, LambdaCpuShare.quotaMicros(1769));
        assertEquals(200_000, LambdaCpuShare.quotaMicros(3538));
    }

    @Test
    void writesTheQuotaTheWayEachCgroupVersionReadsIt() throws Exception {
        try (LambdaCpuShare v1 = LambdaCpuShare.createV1(1024, cgroup.resolve("v1"))) {
            assertEquals("57886", Files.readString(cgroup.resolve("v1/cpu.cfs_quota_us")));
            assertEquals("100000", Files.readString(cgroup.resolve("v1/cpu.cfs_period_us")));
            assertEquals("0.58", v1.vcpus());
        }
        try (LambdaCpuShare v2 = LambdaCpuShare.createV2(1769, cgroup.resolve("v2"))) {
            assertEquals("100000 100000", Files.readString(cgroup.resolve("v2/cpu.max")));
        }
    }

    @Test
    void theWrappedCommandJoinsTheGroupAsItselfAndKeepsItsArguments() throws Exception {
        Path out = cgroup.resolve("said");
        try (LambdaCpuShare share = LambdaCpuShare.createV1(1024, cgroup.resolve("g"))) {
            Process p = new ProcessBuilder(share.wrap(List.of("/bin/sh", "-c", "echo $$ \"$1\" > \"$0\"",
                    out.toString(), "two words"))).start();
            assertEquals(0, p.waitFor());
            String joined = Files.readString(cgroup.resolve("g/cgroup.procs")).trim();
            // exec: the pid written into the group is the command's own, the one the harness measures
            assertEquals(Long.toString(p.pid()), joined);
            assertEquals(p.pid() + " two words", Files.readString(out).trim());
        }
    }

    @Test
    void refusesAMemorySizeLambdaDoesNotOffer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LambdaCpuShare.createV1(64, cgroup.resolve("small")));
        assertTrue(e.getMessage().contains("128 to 10,240 MB"), e.getMessage());
        assertFalse(Files.exists(cgroup.resolve("small")));
    }
}
