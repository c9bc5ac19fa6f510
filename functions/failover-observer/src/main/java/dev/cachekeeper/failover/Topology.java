package dev.cachekeeper.failover;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A replication group as DescribeReplicationGroups and DescribeCacheClusters show it right after a failover.
 *
 * @param status            the group's status ({@code available}, {@code modifying}, ...)
 * @param clusterMode       cluster mode enabled (several shards; roles are not reported per member)
 * @param multiAz           {@code enabled} or {@code disabled}
 * @param automaticFailover {@code enabled}, {@code disabled}, {@code enabling}, {@code disabling}
 * @param shards            node groups with their members
 * @param nodeStatusProblem why per-node statuses are missing, or null when they were read
 */
record Topology(String status, boolean clusterMode, String multiAz, String automaticFailover, List<Shard> shards,
                String nodeStatusProblem) {

    Topology {
        shards = List.copyOf(shards);
    }

    /**
     * @param role   {@code primary} or {@code replica}; null for cluster-mode-enabled groups, where the API does not
     *               say which member is primary
     * @param status the cache cluster's status, null when unknown
     */
    record Node(String id, String az, String role, String status) {
        boolean available() {
            return "available".equals(status);
        }
    }

    record Shard(String id, String status, List<Node> nodes) {
        Shard {
            nodes = List.copyOf(nodes);
        }

        Optional<Node> node(String nodeId) {
            return nodes.stream().filter(n -> n.id().equals(nodeId)).findFirst();
        }

        /** The member the API reports as primary (cluster mode disabled only). */
        Optional<Node> reportedPrimary() {
            return nodes.stream().filter(n -> "primary".equalsIgnoreCase(n.role())).findFirst();
        }

        Set<String> nodeIds() {
            Set<String> ids = new LinkedHashSet<>();
            nodes.forEach(n -> ids.add(n.id()));
            return ids;
        }
    }

    Optional<Shard> shard(String shardId) {
        return shards.stream().filter(s -> s.id().equals(shardId)).findFirst();
    }

    Optional<Shard> shardOf(String nodeId) {
        if (nodeId == null) {
            return Optional.empty();
        }
        return shards.stream().filter(s -> s.node(nodeId).isPresent()).findFirst();
    }

    Optional<Node> node(String nodeId) {
        return shardOf(nodeId).flatMap(s -> s.node(nodeId));
    }
}
