package dev.cachekeeper.simulation;

import java.time.Duration;

/** How long simulated ElastiCache work takes; change them to make a scenario faster or slower. */
public final class Timings {
    private volatile Duration groupCreate = Duration.ofMinutes(10);
    private volatile Duration groupDelete = Duration.ofMinutes(5);
    private volatile Duration snapshot = Duration.ofMinutes(5);
    private volatile Duration copy = Duration.ofMinutes(3);
    private volatile Duration export = Duration.ofMinutes(5);
    private volatile Duration snapshotDelete = Duration.ofMinutes(1);
    private volatile Duration nodeRecovery = Duration.ofMinutes(6);
    private volatile Duration serverlessCreate = Duration.ofMinutes(2);

    public Duration groupCreate() { return groupCreate; }
    public Timings groupCreate(Duration d) { groupCreate = d; return this; }
    public Duration groupDelete() { return groupDelete; }
    public Timings groupDelete(Duration d) { groupDelete = d; return this; }
    public Duration snapshot() { return snapshot; }
    public Timings snapshot(Duration d) { snapshot = d; return this; }
    public Duration copy() { return copy; }
    public Timings copy(Duration d) { copy = d; return this; }
    public Duration export() { return export; }
    public Timings export(Duration d) { export = d; return this; }
    public Duration snapshotDelete() { return snapshotDelete; }
    public Timings snapshotDelete(Duration d) { snapshotDelete = d; return this; }
    public Duration nodeRecovery() { return nodeRecovery; }
    public Timings nodeRecovery(Duration d) { nodeRecovery = d; return this; }
    public Duration serverlessCreate() { return serverlessCreate; }
    public Timings serverlessCreate(Duration d) { serverlessCreate = d; return this; }
}
