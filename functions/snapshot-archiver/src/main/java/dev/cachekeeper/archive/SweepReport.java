package dev.cachekeeper.archive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one sweep did (or, in a dry run, would do). Filled from several worker threads.
 */
public final class SweepReport {
    /** One cache the sweep could not finish, with the AWS error code and what it was doing. */
    public record Failure(String cache, String during, String errorCode, String message) {
    }

    private final boolean dryRun;
    final AtomicInteger snapshotsSeen = new AtomicInteger();
    final AtomicInteger cachesSeen = new AtomicInteger();
    final AtomicInteger cachesWorked = new AtomicInteger();
    final AtomicInteger cachesLeft = new AtomicInteger();
    final AtomicInteger copied = new AtomicInteger();
    final AtomicInteger alreadyCopied = new AtomicInteger();
    final AtomicInteger exported = new AtomicInteger();
    final AtomicInteger exportSkipped = new AtomicInteger();
    final AtomicInteger pruned = new AtomicInteger();
    final AtomicInteger keptByMinimum = new AtomicInteger();
    final AtomicInteger keptByExpiresTag = new AtomicInteger();
    final AtomicInteger refusedUnmanaged = new AtomicInteger();
    final AtomicInteger notSelected = new AtomicInteger();
    private final List<Failure> failures = new ArrayList<>();
    private final List<String> plan = new ArrayList<>();
    private volatile boolean stoppedEarly;
    private volatile String exportProblem;
    private volatile Duration elapsed = Duration.ZERO;

    SweepReport(boolean dryRun) {
        this.dryRun = dryRun;
    }

    synchronized void fail(Failure f) {
        failures.add(f);
    }

    synchronized void plan(String line) {
        plan.add(line);
    }

    void stoppedEarly() {
        stoppedEarly = true;
    }

    void exportProblem(String problem) {
        exportProblem = problem;
    }

    void elapsed(Duration d) {
        elapsed = d;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public boolean isStoppedEarly() {
        return stoppedEarly;
    }

    public String exportProblem() {
        return exportProblem;
    }

    public synchronized List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** In a dry run, the copies and deletions it would have made; in a real run, those it made. */
    public synchronized List<String> plan() {
        return List.copyOf(plan);
    }

    public int copied() {
        return copied.get();
    }

    public int pruned() {
        return pruned.get();
    }

    public int exported() {
        return exported.get();
    }

    public int refusedUnmanaged() {
        return refusedUnmanaged.get();
    }

    public int cachesLeft() {
        return cachesLeft.get();
    }

    /** The handler's answer, and the shape of the sweep's summary log record. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", "sweep");
        m.put("dryRun", dryRun);
        m.put("snapshotsSeen", snapshotsSeen.get());
        m.put("cachesSeen", cachesSeen.get());
        m.put("cachesWorked", cachesWorked.get());
        m.put(dryRun ? "wouldCopy" : "copied", copied.get());
        m.put("alreadyCopied", alreadyCopied.get());
        m.put(dryRun ? "wouldExport" : "exported", exported.get());
        m.put("exportSkipped", exportSkipped.get());
        m.put(dryRun ? "wouldPrune" : "pruned", pruned.get());
        m.put("keptByMinimum", keptByMinimum.get());
        m.put("keptByExpiresTag", keptByExpiresTag.get());
        m.put("refusedUnmanaged", refusedUnmanaged.get());
        m.put("notSelected", notSelected.get());
        m.put("failures", failures().stream().map(f -> f.cache() + ": " + f.during() + " " + f.errorCode()).toList());
        m.put("stoppedEarly", stoppedEarly);
        m.put("cachesLeft", cachesLeft.get());
        if (exportProblem != null) {
            m.put("exportProblem", exportProblem);
        }
        m.put("elapsedMs", elapsed.toMillis());
        return m;
    }
}
