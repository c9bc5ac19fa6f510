package dev.cachekeeper.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CPU a Lambda function of a given memory size gets, imposed on each started subject with a Linux cgroup CPU
 * quota. Lambda gives one vCPU-second of CPU per second at 1,769 MB and scales it with memory, so a 1,024 MB function
 * runs on about 0.58 of a vCPU: a cold start, which is CPU-bound class loading, takes longer there than on an idle
 * core of this machine. The quota models that, and {@link #javaFlags()} tells the JVM the cores and memory it would
 * see there.
 *
 * <p>Needs a writable cgroup CPU controller (v1 {@code cpu/} or v2 with {@code cpu} enabled), which a root shell on
 * a build box usually has and a CI container often does not; {@link #create} says which directory it could not use.
 */
final class LambdaCpuShare implements AutoCloseable {
    /** Lambda's documented point of one full vCPU. */
    static final int MB_PER_VCPU = 1769;
    /** The CFS period the quota is a share of (the kernel's default). */
    static final int PERIOD_MICROS = 100_000;

    private final int memoryMb;
    private final Path group;

    private LambdaCpuShare(int memoryMb, Path group) {
        this.memoryMb = memoryMb;
        this.group = group;
    }

    /** A quota for a function of {@code memoryMb}, in a new group under the first usable cgroup root. */
    static LambdaCpuShare create(int memoryMb) throws IOException {
        Path v1 = Path.of("/sys/fs/cgroup/cpu");
        Path v2 = Path.of("/sys/fs/cgroup");
        String name = "cachekeeper-benchmark-" + ProcessHandle.current().pid();
        if (Files.exists(v1.resolve("cpu.cfs_quota_us"))) {
            return createV1(memoryMb, v1.resolve(name));
        }
        if (Files.exists(v2.resolve("cgroup.subtree_control"))
                && Files.readString(v2.resolve("cgroup.subtree_control")).contains("cpu")) {
            return createV2(memoryMb, v2.resolve(name));
        }
        throw new IOException("--lambda-memory needs a cgroup CPU controller: neither " + v1
                + " (cgroup v1) nor " + v2 + " with 'cpu' in cgroup.subtree_control (cgroup v2) is available here");
    }

    /** A quota in a cgroup v1 {@code cpu} group at {@code group} (created here; a test may pass any directory). */
    static LambdaCpuShare createV1(int memoryMb, Path group) throws IOException {
        check(memoryMb);
        mkdir(group);
        write(group.resolve("cpu.cfs_period_us"), Integer.toString(PERIOD_MICROS));
        write(group.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros(memoryMb)));
        return new LambdaCpuShare(memoryMb, group);
    }

    /** The same in cgroup v2, where quota and period are one file, {@code cpu.max}. */
    static LambdaCpuShare createV2(int memoryMb, Path group) throws IOException {
        check(memoryMb);
        mkdir(group);
        write(group.resolve("cpu.max"), quotaMicros(memoryMb) + " " + PERIOD_MICROS);
        return new LambdaCpuShare(memoryMb, group);
    }

    /** CPU microseconds per period for {@code memoryMb}: 57,886 of 100,000 at 1,024 MB. */
    static long quotaMicros(int memoryMb) {
        return Math.round((double) memoryMb * PERIOD_MICROS / MB_PER_VCPU);
    }

    int memoryMb() {
        return memoryMb;
    }

    /** vCPUs, as the report prints them. */
    String vcpus() {
        return String.format(Locale.ROOT, "%.2f", quotaMicros(memoryMb) / (double) PERIOD_MICROS);
    }

    /**
     * {@code command} started inside the group: a shell moves itself into it and then becomes the command, so the
     * process is limited from its first instruction and keeps the pid the harness reads its statistics from.
     */
    List<String> wrap(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                group.resolve("cgroup.procs").toString()));
        cmd.addAll(command);
        return cmd;
    }

    /**
     * What the JVM is told of its machine: the cores it sees in Lambda (the quota alone would make it count one,
     * where a function below 3,008 MB sees two vCPUs rationed) and the function's memory as its RAM, so its
     * ergonomics choose what they choose there (the serial collector and a 1/64 initial heap below 1,792 MB, instead
     * of G1 and a heap sized from this machine's memory).
     */
    List<String> javaFlags() {
        return List.of("-XX:ActiveProcessorCount=" + Runtime.getRuntime().availableProcessors(),
                "-XX:MaxRAM=" + memoryMb + "m");
    }

    /** The group is removed once its processes are gone; a leftover one only holds a few kernel bytes. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(group);
        } catch (IOException e) {
            // cgroupfs refuses while a process is still in the group: say so rather than hide it
            System.err.println("could not remove " + group + ": " + e.getMessage());
        }
    }

    /** For the report: what the subjects ran on. */
    String describe() {
        return vcpus() + " vCPU, as a " + memoryMb + " MB function gets (a CPU quota of " + quotaMicros(memoryMb)
                + " µs per " + PERIOD_MICROS + " µs)";
    }

    private static void check(int memoryMb) {
        if (memoryMb < 128 || memoryMb > 10_240) {
            throw new IllegalArgumentException("--lambda-memory " + memoryMb
                    + " is outside Lambda's range of 128 to 10,240 MB");
        }
    }

    private static void mkdir(Path group) throws IOException {
        try {
            Files.createDirectories(group);
        } catch (IOException e) {
            throw new IOException("cannot create the cgroup " + group + " for --lambda-memory: " + e, e);
        }
    }

    private static void write(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new IOException("cannot write " + value + " to " + file + " for --lambda-memory: " + e, e);
        }
    }
}
