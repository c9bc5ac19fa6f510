package dev.cachekeeper.destroy;

import dev.cachekeeper.core.aws.ElastiCacheTags;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.CacheKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.CacheCluster;
import software.amazon.awssdk.services.elasticache.model.CacheClusterNotFoundException;
import software.amazon.awssdk.services.elasticache.model.NodeGroupMember;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.ServerlessCache;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheNotFoundException;

/**
 * What the safe-destroy flow needs to know about a cache before touching it: whether it exists, its status, its
 * engine, and what a snapshot of it must name.
 *
 * @param memberOf     for a cache cluster that is a node of a replication group, that group
 * @param snapshotNode for a cluster-mode-disabled replication group, the node to snapshot (null: snapshot the group)
 */
record CacheFacts(CacheKind kind, String id, String status, String engine, String arn, String memberOf,
                  String snapshotNode) {
    static final String AVAILABLE = "available";

    boolean available() {
        return AVAILABLE.equalsIgnoreCase(status);
    }

    boolean deleting() {
        return "deleting".equalsIgnoreCase(status);
    }

    boolean memcached() {
        return engine != null && engine.toLowerCase(Locale.ROOT).contains("memcached");
    }

    /** What a snapshot of this cache is taken of, in words. */
    String snapshotOf() {
        return snapshotNode != null ? "node " + snapshotNode + " of replication group " + id
                : kind.wireName().replace('-', ' ') + " " + id;
    }

    /** Reads caches through the ElastiCache API. */
    static final class Reader {
        private final ElastiCacheClient elastiCache;
        private final Retrier retrier;

        Reader(ElastiCacheClient elastiCache, Retrier retrier) {
            this.elastiCache = elastiCache;
            this.retrier = retrier;
        }

        Optional<CacheFacts> describe(CacheKind kind, String id) {
            try {
                return switch (kind) {
                    case REPLICATION_GROUP -> retrier.call(() -> elastiCache.describeReplicationGroups(
                            b -> b.replicationGroupId(id))).replicationGroups().stream().findFirst().map(Reader::facts);
                    case CACHE_CLUSTER -> retrier.call(() -> elastiCache.describeCacheClusters(
                            b -> b.cacheClusterId(id))).cacheClusters().stream().findFirst().map(Reader::facts);
                    case SERVERLESS_CACHE -> retrier.call(() -> elastiCache.describeServerlessCaches(
                            b -> b.serverlessCacheName(id))).serverlessCaches().stream().findFirst()
                            .map(Reader::facts);
                };
            } catch (ReplicationGroupNotFoundException | CacheClusterNotFoundException
                     | ServerlessCacheNotFoundException e) {
                return Optional.empty();
            }
        }

        Map<String, String> tags(CacheFacts cache) {
            return cache.arn() == null ? new LinkedHashMap<>() : ElastiCacheTags.of(elastiCache, retrier, cache.arn());
        }

        private static CacheFacts facts(ReplicationGroup g) {
            String node = null;
            // Cluster-mode-enabled groups can only be snapshotted as a whole. A cluster-mode-disabled group is
            // snapshotted from one node: a replica where there is one, so the primary does not pay for the fork.
            if (!Boolean.TRUE.equals(g.clusterEnabled())) {
                node = g.snapshottingClusterId();
                if (node == null) {
                    node = g.nodeGroups().stream().flatMap(ng -> ng.nodeGroupMembers().stream())
                            .filter(m -> "replica".equalsIgnoreCase(m.currentRole()))
                            .map(NodeGroupMember::cacheClusterId).findFirst()
                            .orElse(g.memberClusters().isEmpty() ? null : g.memberClusters().get(0));
                }
            }
            return new CacheFacts(CacheKind.REPLICATION_GROUP, g.replicationGroupId(), g.status(), g.engine(),
                    g.arn(), null, node);
        }

        private static CacheFacts facts(CacheCluster c) {
            return new CacheFacts(CacheKind.CACHE_CLUSTER, c.cacheClusterId(), c.cacheClusterStatus(), c.engine(),
                    c.arn(), c.replicationGroupId(), null);
        }

        private static CacheFacts facts(ServerlessCache s) {
            return new CacheFacts(CacheKind.SERVERLESS_CACHE, s.serverlessCacheName(), s.status(), s.engine(),
                    s.arn(), null, null);
        }
    }
}
