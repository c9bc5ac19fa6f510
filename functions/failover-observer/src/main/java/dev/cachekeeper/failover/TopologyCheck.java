package dev.cachekeeper.failover;

import dev.cachekeeper.core.aws.Retrier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.CacheCluster;
import software.amazon.awssdk.services.elasticache.model.DescribeCacheClustersResponse;
import software.amazon.awssdk.services.elasticache.model.NodeGroup;
import software.amazon.awssdk.services.elasticache.model.NodeGroupMember;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;

/**
 * Describes a replication group right after a failover and says what leaves it less protected than before: Multi-AZ
 * or automatic failover off, a shard without an available replica, a shard whose nodes all sit in one AZ.
 */
final class TopologyCheck {
    /** DescribeCacheClusters lists every cluster of the account; stop paging somewhere sane. */
    static final int MAX_CLUSTER_PAGES = 50;

    /** Either a topology or the reason there is none; never both. */
    record Described(Topology topology, String unknownReason) {
        static Described unknown(String reason) {
            return new Described(null, reason);
        }

        boolean known() {
            return topology != null;
        }
    }

    private final ElastiCacheClient elastiCache;
    private final Retrier retrier;

    TopologyCheck(ElastiCacheClient elastiCache, Retrier retrier) {
        this.elastiCache = elastiCache;
        this.retrier = retrier;
    }

    Described describe(String groupId) {
        ReplicationGroup group;
        try {
            List<ReplicationGroup> groups = retrier.call(() -> elastiCache.describeReplicationGroups(
                    b -> b.replicationGroupId(groupId))).replicationGroups();
            if (groups.isEmpty()) {
                return Described.unknown("replication group " + groupId + " was not found");
            }
            group = groups.get(0);
        } catch (ReplicationGroupNotFoundException e) {
            return Described.unknown("replication group " + groupId + " no longer exists");
        } catch (SdkException e) {
            return Described.unknown("DescribeReplicationGroups failed: " + Retrier.errorCode(e));
        }

        Map<String, String> statuses = new HashMap<>();
        String statusProblem = null;
        try {
            statuses.putAll(nodeStatuses(groupId));
        } catch (SdkException e) {
            statusProblem = "DescribeCacheClusters failed: " + Retrier.errorCode(e);
        }

        List<Topology.Shard> shards = new ArrayList<>();
        for (NodeGroup ng : group.nodeGroups()) {
            List<Topology.Node> nodes = new ArrayList<>();
            for (NodeGroupMember m : ng.nodeGroupMembers()) {
                nodes.add(new Topology.Node(m.cacheClusterId(), m.preferredAvailabilityZone(), m.currentRole(),
                        statuses.get(m.cacheClusterId())));
            }
            shards.add(new Topology.Shard(ng.nodeGroupId(), ng.status(), nodes));
        }
        boolean clusterMode = Boolean.TRUE.equals(group.clusterEnabled()) || group.nodeGroups().size() > 1;
        return new Described(new Topology(group.status(), clusterMode,
                group.multiAZ() == null ? null : group.multiAZAsString(),
                group.automaticFailover() == null ? null : group.automaticFailoverAsString(),
                shards, statusProblem), null);
    }

    /**
     * SnapStart priming: the part of {@link #describe} only a found group leads to, which priming's empty answer to
     * DescribeReplicationGroups never reaches. Call it only while priming, when the listing is answered in memory
     * with an empty page; the findings of the stand-in topology are thrown away, and nothing here keeps state.
     */
    void warmUp() {
        nodeStatuses("priming");
        findings(new Topology("available", false, "enabled", "enabled", List.of(new Topology.Shard("0001", "available",
                List.of(new Topology.Node("priming-001", "eu-west-1a", "replica", "available"),
                        new Topology.Node("priming-002", "eu-west-1a", "primary", null)))), null),
                "0001", "priming-002");
    }

    /** Status of every cache cluster (node) of the group, from the account-wide listing. */
    private Map<String, String> nodeStatuses(String groupId) {
        Map<String, String> statuses = new HashMap<>();
        String marker = null;
        for (int page = 0; page < MAX_CLUSTER_PAGES; page++) {
            String m = marker;
            DescribeCacheClustersResponse r = retrier.call(() -> elastiCache.describeCacheClusters(
                    b -> b.maxRecords(100).marker(m)));
            for (CacheCluster c : r.cacheClusters()) {
                if (groupId.equals(c.replicationGroupId())) {
                    statuses.put(c.cacheClusterId(), c.cacheClusterStatus());
                }
            }
            marker = r.marker();
            if (marker == null || marker.isEmpty()) {
                break;
            }
        }
        return statuses;
    }

    /**
     * What leaves the group less protected after this failover, one sentence each.
     *
     * @param shardId    the shard that failed over (null if unknown)
     * @param newPrimary the node the event names as primary now (null if unknown)
     */
    static List<String> findings(Topology t, String shardId, String newPrimary) {
        List<String> out = new ArrayList<>();
        if (!"enabled".equalsIgnoreCase(t.multiAz())) {
            out.add("Multi-AZ is " + orUnknown(t.multiAz()));
        }
        if (!"enabled".equalsIgnoreCase(t.automaticFailover())) {
            out.add("automatic failover is " + orUnknown(t.automaticFailover()));
        }
        if (t.nodeStatusProblem() != null) {
            out.add("replica status not checked: " + t.nodeStatusProblem());
        }
        for (Topology.Shard s : t.shards()) {
            Optional<Topology.Node> reported = s.reportedPrimary();
            // Cluster-mode-enabled groups do not report roles: the event's new primary is the one we know of.
            Optional<Topology.Node> primary = reported.isPresent() ? reported
                    : (s.id().equals(shardId) || s.node(newPrimary).isPresent()) ? s.node(newPrimary)
                    : Optional.empty();
            if (reported.isPresent() && newPrimary != null && s.node(newPrimary).isPresent()
                    && !reported.get().id().equals(newPrimary)) {
                out.add("shard " + s.id() + ": DescribeReplicationGroups shows " + reported.get().id()
                        + " as primary, not " + newPrimary);
            }
            if (s.nodes().size() < 2) {
                out.add("shard " + s.id() + " has no replica: another failure of "
                        + (s.nodes().isEmpty() ? "its primary" : s.nodes().get(0).id()) + " loses the shard");
                continue;
            }
            if (t.nodeStatusProblem() == null) {
                List<Topology.Node> replicas = primary.map(p -> s.nodes().stream()
                        .filter(n -> !n.id().equals(p.id())).toList()).orElse(s.nodes());
                long available = replicas.stream().filter(Topology.Node::available).count();
                // Without a known primary one available node is the primary itself: a replica needs a second.
                boolean protectedShard = primary.isPresent() ? available >= 1 : available >= 2;
                if (!protectedShard) {
                    out.add("shard " + s.id() + " has no available replica ("
                            + replicas.stream().map(n -> n.id() + " " + orUnknown(n.status()))
                                    .collect(Collectors.joining(", ")) + ")");
                }
            }
            List<String> azs = s.nodes().stream().map(Topology.Node::az).distinct().toList();
            if (azs.size() == 1 && azs.get(0) != null) {
                out.add("shard " + s.id() + ": primary and replicas all in " + azs.get(0)
                        + ", so one AZ outage takes the whole shard");
            }
        }
        return out;
    }

    private static String orUnknown(String s) {
        return s == null ? "unknown" : s;
    }
}
