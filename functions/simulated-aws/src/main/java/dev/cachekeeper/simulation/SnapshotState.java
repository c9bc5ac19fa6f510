package dev.cachekeeper.simulation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A node-based snapshot (automatic, manual, final or copy) with what DescribeSnapshots reports about it. */
final class SnapshotState {
    /** One shard's part of a snapshot. */
    static final class NodeSnapshot {
        String cacheClusterId;
        String nodeGroupId;
        String cacheNodeId = "0001";
        long cacheSizeMb;
        Instant cacheNodeCreateTime;
        Instant snapshotCreateTime;
        String slots;
        int replicaCount;
        String primaryAvailabilityZone;
        List<String> replicaAvailabilityZones = new ArrayList<>();
    }

    /** What the pending transition does when it falls due. */
    enum Pending { NONE, CREATE, COPY, DELETE }

    final String name;
    /** {@code automated} or {@code manual}, the words of the response field. */
    String source = "manual";
    String status = "creating";
    String replicationGroupId;
    String replicationGroupDescription;
    String cacheClusterId;
    CacheSettings settings;
    boolean clusterEnabled;
    boolean automaticFailover;
    String topicArn;
    String preferredAvailabilityZone;
    Instant cacheClusterCreateTime;
    final List<NodeSnapshot> nodeSnapshots = new ArrayList<>();
    String kmsKeyId;
    /** When it was asked for (CreateSnapshot, window start, copy call); quota counting uses it. */
    Instant requestedAt;
    Pending pending = Pending.NONE;
    Instant transitionAt;
    boolean failOnCompletion;
    /** For a copy: the source snapshot, which shows {@code copying} meanwhile. */
    String copiedFrom;
    /** Whether a CreateSnapshot or final snapshot made it (counts against the manual-snapshot quota). */
    boolean countsForQuota;

    SnapshotState(String name) {
        this.name = name;
    }

    /** A manual snapshot with this one's content and metadata under another name (CopySnapshot). */
    SnapshotState copyAs(String target) {
        SnapshotState c = new SnapshotState(target);
        c.source = "manual";
        c.replicationGroupId = replicationGroupId;
        c.replicationGroupDescription = replicationGroupDescription;
        c.cacheClusterId = cacheClusterId;
        c.settings = settings.copy();
        c.clusterEnabled = clusterEnabled;
        c.automaticFailover = automaticFailover;
        c.topicArn = topicArn;
        c.preferredAvailabilityZone = preferredAvailabilityZone;
        c.cacheClusterCreateTime = cacheClusterCreateTime;
        c.kmsKeyId = kmsKeyId;
        for (NodeSnapshot n : nodeSnapshots) {
            NodeSnapshot m = new NodeSnapshot();
            m.cacheClusterId = n.cacheClusterId;
            m.nodeGroupId = n.nodeGroupId;
            m.cacheNodeId = n.cacheNodeId;
            m.cacheSizeMb = n.cacheSizeMb;
            m.cacheNodeCreateTime = n.cacheNodeCreateTime;
            m.snapshotCreateTime = n.snapshotCreateTime;
            m.slots = n.slots;
            m.replicaCount = n.replicaCount;
            m.primaryAvailabilityZone = n.primaryAvailabilityZone;
            m.replicaAvailabilityZones = new ArrayList<>(n.replicaAvailabilityZones);
            c.nodeSnapshots.add(m);
        }
        return c;
    }

    /** The cache it was taken from: the replication group, else the cluster. */
    String sourceCacheId() {
        return replicationGroupId != null ? replicationGroupId : cacheClusterId;
    }

    boolean automated() {
        return "automated".equals(source);
    }
}
