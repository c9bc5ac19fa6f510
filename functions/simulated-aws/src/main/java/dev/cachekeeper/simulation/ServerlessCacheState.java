package dev.cachekeeper.simulation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A serverless cache and, below, its snapshots. */
final class ServerlessCacheState {
    final String name;
    String description = "";
    String status = "available";
    String engine = "valkey";
    String majorEngineVersion = "8";
    String fullEngineVersion = "8.0";
    String kmsKeyId;
    List<String> securityGroupIds = new ArrayList<>();
    List<String> subnetIds = new ArrayList<>();
    int snapshotRetentionLimit;
    String dailySnapshotTime = "04:00";
    Instant createTime;
    Instant transitionAt;
    long dataSizeMb = 5;
    Instant backupCheckedUntil;

    ServerlessCacheState(String name) {
        this.name = name;
    }

    /** One serverless snapshot. */
    static final class Snapshot {
        final String name;
        String snapshotType = "manual";
        String status = "creating";
        String kmsKeyId;
        Instant createTime;
        Instant expiryTime;
        long bytesUsed;
        String serverlessCacheName;
        String engine;
        String majorEngineVersion;
        Instant transitionAt;
        /** What the pending transition does: create (→ available), delete (→ gone), or none. */
        SnapshotState.Pending pending = SnapshotState.Pending.NONE;

        Snapshot(String name) {
            this.name = name;
        }
    }
}
