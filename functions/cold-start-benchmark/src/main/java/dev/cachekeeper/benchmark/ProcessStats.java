package dev.cachekeeper.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time and peak memory of a live process, from Linux's /proc (the harness runs where Lambda runs: Linux), and
 * the part of that CPU time its JIT compiler threads took: on Lambda's rationed CPU it is paid in wall time too.
 */
record ProcessStats(long cpuMillis, long jitMillis, long peakRssKb) {
    /** USER_HZ is 100 on every Linux Lambda and CI uses. */
    private static final int TICKS_PER_SECOND = 100;

    static ProcessStats of(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        long ticks = ticks(proc);
        long jitTicks = 0;
        try (Stream<Path> threads = Files.list(proc.resolve("task"))) {
            for (Path t : threads.toList()) {
                if (compilerThread(Files.readString(t.resolve("comm")).strip())) {
                    jitTicks += ticks(t);
                }
            }
        } catch (IOException | UncheckedIOException gone) {
            // a thread that ended while being read: its time is still in the process's total
        }
        long hwm = 0;
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("VmHWM:")) {
                hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return new ProcessStats(ticks * 1000 / TICKS_PER_SECOND, jitTicks * 1000 / TICKS_PER_SECOND, hwm);
    }

    /**
     * Whether a thread of that name is one of HotSpot's JIT compilers: "C1 CompilerThre" and "C2 CompilerThre"
     * (cut to 15 characters, Linux's limit), as /proc and the profiler both name them.
     */
    static boolean compilerThread(String name) {
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
    }

    /** utime + stime of a process or thread directory. */
    private static long ticks(Path dir) throws IOException {
        String stat = Files.readString(dir.resolve("stat"));
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
