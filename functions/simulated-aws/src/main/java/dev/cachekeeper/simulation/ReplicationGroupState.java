package dev.cachekeeper.simulation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A replication group: settings, shards (node groups) and their member clusters, and its lifecycle status. */
final class ReplicationGroupState {
    /** A node group ("shard"): one primary and zero or more replicas. */
    static final class Shard {
        final String id;
        String slots;
        final List<CacheNodeState> members = new ArrayList<>();

        Shard(String id) {
            this.id = id;
        }

        Optional<CacheNodeState> primary() {
            return members.stream().filter(CacheNodeState::isPrimary).findFirst();
        }

        List<CacheNodeState> replicas() {
            return members.stream().filter(m -> !m.isPrimary()).toList();
        }
    }

    final String id;
    String description = " ";
    String status = "available";
    CacheSettings settings = new CacheSettings();
    boolean clusterEnabled;
    boolean multiAz;
    boolean automaticFailover;
    final List<Shard> shards = new ArrayList<>();
    Instant createTime;
    /** When creating → available/create-failed, or deleting → gone, happens. */
    Instant transitionAt;
    boolean failCreation;
    String snapshottingClusterId;
    /** Until when a test failover's node replacement runs (a cluster-mode-enabled group allows one at a time). */
    Instant recoveryUntil;
    /** Where the automatic-backup schedule last looked; windows after this instant are still to come. */
    Instant backupCheckedUntil;

    ReplicationGroupState(String id) {
        this.id = id;
    }

    Stream<CacheNodeState> members() {
        return shards.stream().flatMap(s -> s.members.stream());
    }

    Optional<Shard> shard(String shardId) {
        return shards.stream().filter(s -> s.id.equals(shardId)).findFirst();
    }

    Optional<CacheNodeState> member(String clusterId) {
        return members().filter(m -> m.clusterId.equals(clusterId)).findFirst();
    }
}
