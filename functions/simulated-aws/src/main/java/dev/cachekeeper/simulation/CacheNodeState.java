package dev.cachekeeper.simulation;

import java.time.Instant;

/**
 * One cache cluster of one node: a member of a replication group (primary or replica of a shard), or a standalone
 * node-based cluster (then it has its own settings).
 */
final class CacheNodeState {
    final String clusterId;
    String replicationGroupId;
    String shardId;
    String availabilityZone;
    /** {@code primary} or {@code replica}; null for a standalone cluster. */
    String role;
    Instant createTime;
    String status = "available";
    String notificationTopicArn;
    /** Own settings of a standalone cluster; members use their group's. */
    CacheSettings settings;
    /** When a creating/deleting standalone cluster changes state. */
    Instant transitionAt;
    boolean failCreation;

    CacheNodeState(String clusterId) {
        this.clusterId = clusterId;
    }

    boolean isPrimary() {
        return "primary".equals(role);
    }
}
