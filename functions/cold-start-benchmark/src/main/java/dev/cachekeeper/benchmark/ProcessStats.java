package dev.cachekeeper.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and peak memory of a live process, from Linux's /proc (the harness runs where Lambda runs: Linux). */
record ProcessStats(long cpuMillis, long peakRssKb) {
    /** USER_HZ is 100 on every Linux Lambda and CI uses. */
    private static final int TICKS_PER_SECOND = 100;

    static ProcessStats of(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
        long hwm = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return new ProcessStats(ticks * 1000 / TICKS_PER_SECOND, hwm);
    }
}
