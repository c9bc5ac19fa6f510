package dev.cachekeeper.simulation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import dev.cachekeeper.core.Json;

/**
 * ElastiCache's state in the simulated account and everything that happens to it over time: creations and
 * deletions finishing, snapshots completing (with their events and SNS notifications), daily automatic backups,
 * expiry of automatic backups, node recovery after a failover. The SDK facade ({@link SimulatedElastiCache})
 * validates requests and calls in here. All methods expect the account lock to be held.
 */
final class ElastiCacheModel {
    static final DateTimeFormatter AUTO_NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm").withZone(ZoneOffset.UTC);

    /** A CopySnapshot to S3 in progress. */
    record PendingExport(String sourceSnapshot, String bucket, List<String> keys, Instant dueAt) {
    }

    final SimulatedAws aws;
    final Map<String, ReplicationGroupState> groups = new LinkedHashMap<>();
    final Map<String, CacheNodeState> standalone = new LinkedHashMap<>();
    final Map<String, SnapshotState> snapshots = new TreeMap<>();
    final Map<String, ServerlessCacheState> serverless = new LinkedHashMap<>();
    final Map<String, ServerlessCacheState.Snapshot> serverlessSnapshots = new TreeMap<>();
    final Map<String, String> subnetGroups = new LinkedHashMap<>(Map.of("default", "vpc-0a1b2c3d4e5f60718"));
    final EventLog events = new EventLog();
    final TagStore tags = new TagStore();
    final List<PendingExport> exports = new ArrayList<>();
    /** When each TestFailover call was accepted, for the rolling 24-hour quota. */
    final List<Instant> testFailovers = new ArrayList<>();
    final Timings timings = new Timings();
    final Set<String> failNextSnapshotOf = new HashSet<>();
    boolean failNextSnapshotAny;
    int manualSnapshotQuotaPerDay = 20;
    int testFailoverQuotaPerDay = 15;
    NotificationShape notificationShape = NotificationShape.KEYED;

    ElastiCacheModel(SimulatedAws aws) {
        this.aws = aws;
    }

    Instant now() {
        return aws.clock().now();
    }

    // ---- names and lookups ----

    String arn(String type, String id) {
        return "arn:" + aws.partition() + ":elasticache:" + aws.region() + ":" + aws.accountId() + ":" + type + ":" + id;
    }

    /** e.g. {@code euw1} for eu-west-1, as in ElastiCache endpoint names. */
    String regionCode() {
        String[] p = aws.region().split("-");
        String mid = switch (p[1]) {
            case "northeast" -> "ne";
            case "southeast" -> "se";
            case "northwest" -> "nw";
            case "southwest" -> "sw";
            default -> p[1].substring(0, 1);
        };
        return p[0] + mid + p[p.length - 1];
    }

    String endpointSuffix() {
        return "x1y2z3." + regionCode() + ".cache.amazonaws.com";
    }

    Optional<CacheNodeState> cluster(String id) {
        CacheNodeState s = standalone.get(id);
        if (s != null) {
            return Optional.of(s);
        }
        return groups.values().stream().flatMap(ReplicationGroupState::members).filter(m -> m.clusterId.equals(id))
                .findFirst();
    }

    CacheSettings settingsOf(CacheNodeState node) {
        return node.replicationGroupId != null ? groups.get(node.replicationGroupId).settings : node.settings;
    }

    List<String> availabilityZones() {
        return List.of(aws.region() + "a", aws.region() + "b", aws.region() + "c");
    }

    // ---- events and notifications ----

    void event(String sourceType, String sourceId, String message) {
        events.record(sourceType, sourceId, message, now());
    }

    /**
     * Records a cache-cluster (or replication-group) event and, when the node has a usable topic, sends the SNS
     * notification in the selected shape.
     */
    void notify(CacheNodeState node, String sourceType, String sourceId, String message, String snsEvent,
                Map<String, String> keyed) {
        event(sourceType, sourceId, message);
        if (node == null || node.notificationTopicArn == null) {
            return;
        }
        Map<String, String> body = new LinkedHashMap<>();
        if (notificationShape == NotificationShape.KEYED) {
            body.putAll(keyed);
        } else {
            body.put("Date", now().toString());
            body.put("Message", message);
            body.put("SourceIdentifier", sourceId);
            body.put("SourceType", sourceType);
        }
        try {
            aws.sns().deliverFromService("elasticache", node.notificationTopicArn, snsEvent,
                    Json.MAPPER.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- snapshots ----

    /** Starts a snapshot of a replication group (all shards) or of one cluster. Validation is the caller's job. */
    SnapshotState startSnapshot(String name, String source, ReplicationGroupState rg, CacheNodeState node,
                                Instant at, String kmsKeyId, boolean countsForQuota) {
        return startSnapshot(name, source, rg, node, at, kmsKeyId, countsForQuota, false);
    }

    /** {@code fromPrimary}: a final snapshot is taken from each shard's primary, not from a replica. */
    SnapshotState startSnapshot(String name, String source, ReplicationGroupState rg, CacheNodeState node,
                                Instant at, String kmsKeyId, boolean countsForQuota, boolean fromPrimary) {
        SnapshotState s = new SnapshotState(name);
        s.source = source;
        s.requestedAt = at;
        s.kmsKeyId = kmsKeyId;
        s.countsForQuota = countsForQuota;
        if (rg != null) {
            s.replicationGroupId = rg.id;
            s.replicationGroupDescription = rg.description;
            s.settings = rg.settings.copy();
            s.clusterEnabled = rg.clusterEnabled;
            s.automaticFailover = rg.automaticFailover;
            s.cacheClusterCreateTime = rg.createTime;
            for (ReplicationGroupState.Shard shard : rg.shards) {
                // Backups are taken from a replica when there is one, to spare the primary.
                CacheNodeState from = node != null && node.replicationGroupId != null && shard.members.contains(node)
                        ? node
                        : fromPrimary ? shard.primary().orElse(shard.members.get(0))
                        : shard.replicas().stream().findFirst().orElse(shard.primary().orElse(shard.members.get(0)));
                s.nodeSnapshots.add(nodeSnapshot(shard, from, rg.settings, rg.shards.size(), at));
                if (!rg.clusterEnabled) {
                    s.cacheClusterId = from.clusterId;
                    s.preferredAvailabilityZone = from.availabilityZone;
                    s.topicArn = from.notificationTopicArn;
                }
            }
            if (rg.clusterEnabled) {
                s.cacheClusterId = null;
            }
        } else {
            s.cacheClusterId = node.clusterId;
            s.settings = node.settings.copy();
            s.preferredAvailabilityZone = node.availabilityZone;
            s.cacheClusterCreateTime = node.createTime;
            s.topicArn = node.notificationTopicArn;
            s.nodeSnapshots.add(nodeSnapshot(null, node, node.settings, 1, at));
        }
        if (kmsKeyId == null) {
            s.kmsKeyId = s.settings.kmsKeyId;
        }
        s.pending = SnapshotState.Pending.CREATE;
        s.status = "creating";
        s.transitionAt = at.plus(timings.snapshot());
        String cacheId = s.sourceCacheId();
        if (failNextSnapshotAny || failNextSnapshotOf.remove(cacheId)) {
            failNextSnapshotAny = false;
            s.failOnCompletion = true;
        }
        snapshots.put(name, s);
        refreshSnapshotting(cacheId);
        return s;
    }

    private SnapshotState.NodeSnapshot nodeSnapshot(ReplicationGroupState.Shard shard, CacheNodeState from,
                                                    CacheSettings settings, int shards, Instant at) {
        SnapshotState.NodeSnapshot n = new SnapshotState.NodeSnapshot();
        n.cacheClusterId = from.clusterId;
        n.nodeGroupId = shard != null ? shard.id : null;
        n.cacheSizeMb = Math.max(1, settings.dataSizeMb / Math.max(1, shards));
        n.cacheNodeCreateTime = from.createTime;
        n.snapshotCreateTime = at;
        if (shard != null) {
            n.slots = shard.slots;
            n.replicaCount = shard.replicas().size();
            n.primaryAvailabilityZone = shard.primary().map(p -> p.availabilityZone).orElse(null);
            n.replicaAvailabilityZones = shard.replicas().stream().map(r -> r.availabilityZone).toList();
        } else {
            n.primaryAvailabilityZone = from.availabilityZone;
        }
        return n;
    }

    /** A group (or standalone cluster) shows {@code snapshotting} while one of its snapshots is being created. */
    void refreshSnapshotting(String cacheId) {
        Optional<SnapshotState> running = snapshots.values().stream()
                .filter(s -> s.pending == SnapshotState.Pending.CREATE && cacheId.equals(s.sourceCacheId()))
                .findFirst();
        ReplicationGroupState rg = groups.get(cacheId);
        if (rg != null && (rg.status.equals("available") || rg.status.equals("snapshotting"))) {
            rg.status = running.isPresent() ? "snapshotting" : "available";
            rg.snapshottingClusterId = running.map(s -> s.nodeSnapshots.get(0).cacheClusterId).orElse(null);
        }
        CacheNodeState c = standalone.get(cacheId);
        if (c != null && (c.status.equals("available") || c.status.equals("snapshotting"))) {
            c.status = running.isPresent() ? "snapshotting" : "available";
        }
    }

    private void completeSnapshot(SnapshotState s) {
        s.pending = SnapshotState.Pending.NONE;
        s.transitionAt = null;
        s.status = s.failOnCompletion ? "failed" : "available";
        for (SnapshotState.NodeSnapshot n : s.nodeSnapshots) {
            CacheNodeState node = cluster(n.cacheClusterId).orElse(null);
            String msg = (s.failOnCompletion ? "Snapshot failed" : "Snapshot succeeded") + " for snapshot with ID '"
                    + s.name + "' of cache cluster with ID '" + n.cacheClusterId + "'";
            String snsEvent = s.failOnCompletion ? "ElastiCache:SnapshotFailed" : "ElastiCache:SnapshotComplete";
            notify(node, "cache-cluster", n.cacheClusterId, msg, snsEvent, Map.of(snsEvent, n.cacheClusterId));
        }
        refreshSnapshotting(s.sourceCacheId());
    }

    /** Removes a snapshot with its tags; a copy's source is released. */
    void removeSnapshot(String name) {
        SnapshotState s = snapshots.remove(name);
        if (s != null) {
            tags.drop(arn("snapshot", name));
        }
    }

    long manualSnapshotsInLastDay(String cacheId) {
        Instant since = now().minus(Duration.ofDays(1));
        return snapshots.values().stream()
                .filter(s -> s.countsForQuota && cacheId.equals(s.sourceCacheId()) && s.requestedAt.isAfter(since))
                .count();
    }

    // ---- groups and clusters going away ----

    /** The group is gone: its members, their tags, and ALL its automatic snapshots (manual ones stay). */
    void removeGroup(ReplicationGroupState rg) {
        groups.remove(rg.id);
        tags.drop(arn("replicationgroup", rg.id));
        rg.members().forEach(m -> {
            tags.drop(arn("cluster", m.clusterId));
            notify(m, "cache-cluster", m.clusterId, "Cache cluster deleted", "ElastiCache:DeleteCacheClusterComplete",
                    Map.of("ElastiCache:DeleteCacheClusterComplete", m.clusterId));
        });
        event("replication-group", rg.id, "Replication group " + rg.id + " deleted");
        removeAutomaticSnapshotsOf(rg.id);
    }

    void removeStandalone(CacheNodeState c) {
        standalone.remove(c.clusterId);
        tags.drop(arn("cluster", c.clusterId));
        notify(c, "cache-cluster", c.clusterId, "Cache cluster deleted", "ElastiCache:DeleteCacheClusterComplete",
                Map.of("ElastiCache:DeleteCacheClusterComplete", c.clusterId));
        removeAutomaticSnapshotsOf(c.clusterId);
    }

    private void removeAutomaticSnapshotsOf(String cacheId) {
        List<String> doomed = snapshots.values().stream()
                .filter(s -> s.automated() && cacheId.equals(s.sourceCacheId())).map(s -> s.name).toList();
        doomed.forEach(this::removeSnapshot);
    }

    // ---- failover ----

    /**
     * Promotes {@code to} (or the first replica) in a shard, as Multi-AZ automatic failover does, with its events and
     * the SNS notification. The old primary becomes a replica in its AZ after a recovery period.
     */
    CacheNodeState failover(ReplicationGroupState rg, ReplicationGroupState.Shard shard, String to, boolean test) {
        CacheNodeState oldPrimary = shard.primary().orElseThrow();
        CacheNodeState newPrimary = to == null ? shard.replicas().get(0)
                : shard.members.stream().filter(m -> m.clusterId.equals(to)).findFirst().orElseThrow();
        if (test) {
            event("replication-group", rg.id, "Test Failover API called for node group " + shard.id);
            testFailovers.add(now());
        }
        oldPrimary.role = "replica";
        newPrimary.role = "primary";
        String msg = "Failover from primary node " + oldPrimary.clusterId + " to replica node "
                + newPrimary.clusterId + " completed";
        Map<String, String> keyed = new LinkedHashMap<>();
        keyed.put("ElastiCache:FailoverComplete", rg.id);
        keyed.put("Cache Cluster ID", newPrimary.clusterId);
        notify(newPrimary, "cache-cluster", newPrimary.clusterId, msg, "ElastiCache:FailoverComplete", keyed);
        event("replication-group", rg.id, msg);
        event("cache-cluster", oldPrimary.clusterId, "Recovering cache nodes 0001");
        pendingRecoveries.add(new Recovery(oldPrimary.clusterId, now().plus(timings.nodeRecovery())));
        rg.recoveryUntil = now().plus(timings.nodeRecovery());
        return newPrimary;
    }

    record Recovery(String clusterId, Instant dueAt) {
    }

    final List<Recovery> pendingRecoveries = new ArrayList<>();

    long testFailoversInLastDay() {
        Instant since = now().minus(Duration.ofDays(1));
        return testFailovers.stream().filter(t -> t.isAfter(since)).count();
    }

    // ---- time ----

    /** The earliest instant at which something is due, or null. */
    Instant nextDue() {
        List<Instant> due = new ArrayList<>();
        groups.values().forEach(g -> {
            due.add(g.transitionAt);
            due.add(g.recoveryUntil);
            if (g.settings.snapshotRetentionLimit > 0 && backupsRun(g.status)) {
                due.add(nextWindowStart(g.settings.snapshotWindow, g.backupCheckedUntil));
            }
        });
        standalone.values().forEach(c -> {
            due.add(c.transitionAt);
            if (c.settings.snapshotRetentionLimit > 0 && backupsRun(c.status)) {
                due.add(nextWindowStart(c.settings.snapshotWindow, backupCheck(c)));
            }
        });
        snapshots.values().forEach(s -> {
            due.add(s.transitionAt);
            if (s.automated() && s.pending == SnapshotState.Pending.NONE) {
                due.add(expiryOf(s));
            }
        });
        serverless.values().forEach(c -> {
            due.add(c.transitionAt);
            if (c.snapshotRetentionLimit > 0 && c.status.equals("available")) {
                due.add(nextWindowStart(c.dailySnapshotTime, c.backupCheckedUntil));
            }
        });
        serverlessSnapshots.values().forEach(s -> {
            due.add(s.transitionAt);
            if (s.pending == SnapshotState.Pending.NONE) {
                due.add(s.expiryTime);
            }
        });
        exports.forEach(e -> due.add(e.dueAt()));
        pendingRecoveries.forEach(r -> due.add(r.dueAt()));
        return due.stream().filter(java.util.Objects::nonNull).min(Instant::compareTo).orElse(null);
    }

    private static boolean backupsRun(String status) {
        return status.equals("available") || status.equals("snapshotting") || status.equals("modifying");
    }

    private final Map<String, Instant> standaloneBackupCheck = new LinkedHashMap<>();

    private Instant backupCheck(CacheNodeState c) {
        return standaloneBackupCheck.computeIfAbsent(c.clusterId, k -> now());
    }

    /** Runs everything due at or before {@code now}. */
    void runDue(Instant now) {
        for (ReplicationGroupState g : List.copyOf(groups.values())) {
            if (g.transitionAt != null && !g.transitionAt.isAfter(now)) {
                g.transitionAt = null;
                if (g.status.equals("creating")) {
                    finishCreation(g);
                } else if (g.status.equals("deleting")) {
                    removeGroup(g);
                    continue;
                }
            }
            if (g.recoveryUntil != null && !g.recoveryUntil.isAfter(now)) {
                g.recoveryUntil = null;
            }
        }
        for (CacheNodeState c : List.copyOf(standalone.values())) {
            if (c.transitionAt != null && !c.transitionAt.isAfter(now)) {
                c.transitionAt = null;
                if (c.status.equals("creating")) {
                    c.status = c.failCreation ? "create-failed" : "available";
                    if (!c.failCreation) {
                        notify(c, "cache-cluster", c.clusterId, "Cache cluster created",
                                "ElastiCache:CacheClusterProvisioningComplete",
                                Map.of("ElastiCache:CacheClusterProvisioningComplete", c.clusterId));
                    }
                } else if (c.status.equals("deleting")) {
                    removeStandalone(c);
                }
            }
        }
        for (Recovery r : List.copyOf(pendingRecoveries)) {
            if (!r.dueAt().isAfter(now)) {
                pendingRecoveries.remove(r);
                if (cluster(r.clusterId()).isPresent()) {
                    events.record("cache-cluster", r.clusterId(), "Finished recovery for cache nodes 0001", r.dueAt());
                }
            }
        }
        for (SnapshotState s : List.copyOf(snapshots.values())) {
            if (s.transitionAt == null || s.transitionAt.isAfter(now)) {
                continue;
            }
            switch (s.pending) {
                case CREATE -> completeSnapshot(s);
                case COPY -> {
                    s.pending = SnapshotState.Pending.NONE;
                    s.transitionAt = null;
                    s.status = "available";
                    releaseCopySource(s.copiedFrom);
                }
                case DELETE -> removeSnapshot(s.name);
                default -> s.transitionAt = null;
            }
        }
        for (PendingExport e : List.copyOf(exports)) {
            if (!e.dueAt().isAfter(now)) {
                exports.remove(e);
                SimulatedS3.Bucket b = aws.s3().bucket(e.bucket());
                if (b != null) {
                    for (String key : e.keys()) {
                        aws.s3().putObjectDirect(e.bucket(), key,
                                ("REDIS0011 simulated export of " + e.sourceSnapshot()).getBytes(StandardCharsets.UTF_8));
                    }
                }
                releaseCopySource(e.sourceSnapshot());
            }
        }
        runBackups(now);
        expireAutomatic(now);
        runServerless(now);
        events.purgeBefore(now.minus(EventLog.RETENTION));
    }

    private void finishCreation(ReplicationGroupState g) {
        if (g.failCreation) {
            g.status = "create-failed";
            g.members().forEach(m -> m.status = "create-failed");
            event("replication-group", g.id, "Failed to create replication group " + g.id
                    + " due to insufficient capacity");
            return;
        }
        g.status = "available";
        g.members().forEach(m -> {
            m.status = "available";
            event("cache-cluster", m.clusterId, "Cache cluster created");
        });
        g.backupCheckedUntil = now();
        CacheNodeState first = g.members().findFirst().orElse(null);
        notify(first, "replication-group", g.id, "Replication group " + g.id + " created",
                "ElastiCache:CreateReplicationGroupComplete", Map.of("ElastiCache:CreateReplicationGroupComplete", g.id));
    }

    void releaseCopySource(String name) {
        SnapshotState src = name == null ? null : snapshots.get(name);
        boolean stillBusy = snapshots.values().stream()
                .anyMatch(s -> s.pending == SnapshotState.Pending.COPY && name != null && name.equals(s.copiedFrom))
                || exports.stream().anyMatch(e -> e.sourceSnapshot().equals(name));
        if (src != null && src.status.equals("copying") && !stillBusy) {
            src.status = "available";
        }
    }

    /** The next start of a daily window ("hh:mm-hh:mm" or "hh:mm", UTC) strictly after {@code after}. */
    static Instant nextWindowStart(String window, Instant after) {
        if (after == null) {
            return null;
        }
        LocalTime start = LocalTime.parse(window.split("-")[0]);
        LocalDate day = LocalDate.ofInstant(after, ZoneOffset.UTC);
        Instant candidate = day.atTime(start).toInstant(ZoneOffset.UTC);
        return candidate.isAfter(after) ? candidate : candidate.plus(Duration.ofDays(1));
    }

    private void runBackups(Instant now) {
        for (ReplicationGroupState g : groups.values()) {
            if (g.settings.snapshotRetentionLimit <= 0 || !backupsRun(g.status)) {
                g.backupCheckedUntil = now;
                continue;
            }
            forEachWindow(g.settings.snapshotWindow, g.backupCheckedUntil, now, w ->
                    autoSnapshot(g.id, w, () -> startSnapshot(autoName(g.id, w), "automated", g, null, w, null, false)));
            g.backupCheckedUntil = now;
        }
        for (CacheNodeState c : standalone.values()) {
            Instant from = backupCheck(c);
            if (c.settings.snapshotRetentionLimit > 0 && backupsRun(c.status)) {
                forEachWindow(c.settings.snapshotWindow, from, now, w ->
                        autoSnapshot(c.clusterId, w, () -> startSnapshot(autoName(c.clusterId, w), "automated", null, c,
                                w, null, false)));
            }
            standaloneBackupCheck.put(c.clusterId, now);
        }
    }

    private void autoSnapshot(String cacheId, Instant w, Runnable start) {
        if (!snapshots.containsKey(autoName(cacheId, w))) {
            start.run();
        }
    }

    static String autoName(String cacheId, Instant windowStart) {
        return "automatic." + cacheId + "-" + AUTO_NAME.format(windowStart);
    }

    private static void forEachWindow(String window, Instant from, Instant to, Consumer<Instant> action) {
        if (from == null) {
            return;
        }
        for (Instant w = nextWindowStart(window, from); w != null && !w.isAfter(to); w = nextWindowStart(window, w)) {
            action.accept(w);
        }
    }

    /** An automatic snapshot lives {@code retention} days from its creation; retention 0 means none are kept. */
    Instant expiryOf(SnapshotState s) {
        CacheSettings cs = groups.containsKey(s.sourceCacheId()) ? groups.get(s.sourceCacheId()).settings
                : standalone.containsKey(s.sourceCacheId()) ? standalone.get(s.sourceCacheId()).settings : null;
        int days = cs == null ? 0 : cs.snapshotRetentionLimit;
        return s.requestedAt.plus(Duration.ofDays(days));
    }

    private void expireAutomatic(Instant now) {
        List<String> doomed = snapshots.values().stream()
                .filter(s -> s.automated() && s.pending == SnapshotState.Pending.NONE && !expiryOf(s).isAfter(now))
                .map(s -> s.name).toList();
        doomed.forEach(this::removeSnapshot);
    }

    // ---- serverless ----

    ServerlessCacheState.Snapshot startServerlessSnapshot(String name, ServerlessCacheState c, String type,
                                                          Instant at, String kmsKeyId) {
        ServerlessCacheState.Snapshot s = new ServerlessCacheState.Snapshot(name);
        s.snapshotType = type;
        s.serverlessCacheName = c.name;
        s.engine = c.engine;
        s.majorEngineVersion = c.majorEngineVersion;
        s.kmsKeyId = kmsKeyId != null ? kmsKeyId : c.kmsKeyId;
        s.createTime = at;
        s.bytesUsed = c.dataSizeMb * 1024 * 1024;
        s.status = "creating";
        s.pending = SnapshotState.Pending.CREATE;
        s.transitionAt = at.plus(timings.snapshot());
        if (type.equals("automated")) {
            s.expiryTime = at.plus(Duration.ofDays(c.snapshotRetentionLimit));
        }
        serverlessSnapshots.put(name, s);
        return s;
    }

    private void runServerless(Instant now) {
        for (ServerlessCacheState c : List.copyOf(serverless.values())) {
            if (c.transitionAt != null && !c.transitionAt.isAfter(now)) {
                c.transitionAt = null;
                if (c.status.equals("creating")) {
                    c.status = "available";
                    serverlessEvent("Cache Created", c.name, "serverless-cache",
                            "Serverless cache " + c.name + " created.");
                } else if (c.status.equals("deleting")) {
                    serverless.remove(c.name);
                    tags.drop(arn("serverlesscache", c.name));
                    serverlessEvent("Cache Deleted", c.name, "serverless-cache",
                            "Serverless cache " + c.name + " deleted.");
                    List<String> doomed = serverlessSnapshots.values().stream()
                            .filter(s -> s.snapshotType.equals("automated") && c.name.equals(s.serverlessCacheName))
                            .map(s -> s.name).toList();
                    doomed.forEach(n -> {
                        serverlessSnapshots.remove(n);
                        tags.drop(arn("serverlesscachesnapshot", n));
                    });
                    continue;
                }
            }
            if (c.snapshotRetentionLimit > 0 && c.status.equals("available")) {
                forEachWindow(c.dailySnapshotTime, c.backupCheckedUntil, now, w -> {
                    String name = autoName(c.name, w);
                    if (!serverlessSnapshots.containsKey(name)) {
                        startServerlessSnapshot(name, c, "automated", w, null);
                    }
                });
            }
            c.backupCheckedUntil = now;
        }
        for (ServerlessCacheState.Snapshot s : List.copyOf(serverlessSnapshots.values())) {
            if (s.transitionAt != null && !s.transitionAt.isAfter(now)) {
                s.transitionAt = null;
                if (s.pending == SnapshotState.Pending.DELETE) {
                    serverlessSnapshots.remove(s.name);
                    tags.drop(arn("serverlesscachesnapshot", s.name));
                    continue;
                }
                s.pending = SnapshotState.Pending.NONE;
                s.status = "available";
                serverlessEvent("Snapshot Created", s.name, "serverless-cache-snapshot",
                        "Snapshot " + s.name + " created for serverless cache " + s.serverlessCacheName + ".");
            }
            if (s.expiryTime != null && !s.expiryTime.isAfter(now) && s.pending == SnapshotState.Pending.NONE) {
                serverlessSnapshots.remove(s.name);
                tags.drop(arn("serverlesscachesnapshot", s.name));
            }
        }
    }

    /** Serverless caches publish to DescribeEvents and straight to EventBridge (source aws.elasticache). */
    void serverlessEvent(String detailType, String id, String sourceType, String message) {
        event(sourceType, id, message);
        String sourceArn = arn(sourceType.equals("serverless-cache") ? "serverlesscache" : "serverlesscachesnapshot", id);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("EventCategories", List.of(detailType.startsWith("Snapshot") ? "snapshot" : "cache"));
        detail.put("EventID", "ECS" + Math.abs((id + detailType + now()).hashCode()));
        detail.put("Message", message);
        detail.put("SourceArn", sourceArn);
        detail.put("SourceIdentifier", id);
        detail.put("SourceType", sourceType);
        aws.eventBridge().deliverFromService("aws.elasticache", detailType, detail, List.of(sourceArn));
    }
}
