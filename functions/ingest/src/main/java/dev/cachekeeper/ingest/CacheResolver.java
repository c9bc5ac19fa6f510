package dev.cachekeeper.ingest;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.lambda.PrimingInterceptor;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.CacheClusterNotFoundException;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshotNotFoundException;

/**
 * Finds the cache an event is really about. Node-based events name a member node ({@code orders-0001-002}); users
 * protect, and other functions act on, the replication group. DescribeCacheClusters says which group a node belongs
 * to; when the node is gone (deleted, replaced) the id's own pattern is the fallback. Answers are remembered for the
 * life of the function instance, since a node never changes group; what priming's made-up answers say is not.
 */
public final class CacheResolver {
    private static final Logger LOG = LoggerFactory.getLogger(CacheResolver.class);

    /** Where a node-level event belongs. {@code confirmed} is false when only the id's pattern was used. */
    public record Placement(CacheKind kind, String cacheId, String nodeId, String shardId, boolean confirmed) {
    }

    private final ElastiCacheClient elastiCache;
    private final Retrier retrier;
    private final Map<String, Placement> nodes = new ConcurrentHashMap<>();
    private final Map<String, Optional<String>> serverlessSnapshots = new ConcurrentHashMap<>();

    public CacheResolver(ElastiCacheClient elastiCache, Retrier retrier) {
        this.elastiCache = elastiCache;
        this.retrier = retrier;
    }

    /** The group (or stand-alone cluster) a cache cluster id belongs to. */
    public Placement ofNode(String nodeId) {
        Placement known = nodes.get(nodeId);
        if (known != null) {
            return known;
        }
        Placement p = lookUp(nodeId);
        if (p.confirmed() && !PrimingInterceptor.active()) {
            nodes.put(nodeId, p);
        }
        return p;
    }

    private Placement lookUp(String nodeId) {
        try {
            var clusters = retrier.call(() -> elastiCache.describeCacheClusters(b -> b.cacheClusterId(nodeId)))
                    .cacheClusters();
            if (!clusters.isEmpty()) {
                String group = clusters.get(0).replicationGroupId();
                if (group != null && !group.isBlank()) {
                    return new Placement(CacheKind.REPLICATION_GROUP, group, nodeId, NodeIds.shardOf(nodeId, group),
                            true);
                }
                return new Placement(CacheKind.CACHE_CLUSTER, nodeId, null, null, true);
            }
        } catch (CacheClusterNotFoundException gone) {
            // Deleted or replaced already: the id's pattern is all we have.
        } catch (SdkException e) {
            LOG.warn("could not look up the replication group of a node; using the node id's pattern",
                    entry("nodeId", nodeId),
                    entry("errorMessage", e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        return NodeIds.parse(nodeId)
                .map(n -> new Placement(CacheKind.REPLICATION_GROUP, n.replicationGroupId(), nodeId, n.shardId(), false))
                .orElse(new Placement(CacheKind.CACHE_CLUSTER, nodeId, null, null, false));
    }

    /** The serverless cache a serverless snapshot was taken of, when ElastiCache still knows the snapshot. */
    public Optional<String> cacheOfServerlessSnapshot(String snapshotName) {
        Optional<String> known = serverlessSnapshots.get(snapshotName);
        if (known != null) {
            return known;
        }
        try {
            var snaps = retrier.call(() -> elastiCache.describeServerlessCacheSnapshots(
                    b -> b.serverlessCacheSnapshotName(snapshotName))).serverlessCacheSnapshots();
            Optional<String> cache = snaps.stream().map(s -> s.serverlessCacheConfiguration())
                    .filter(c -> c != null && c.serverlessCacheName() != null)
                    .map(c -> c.serverlessCacheName()).findFirst();
            if (!PrimingInterceptor.active()) {
                serverlessSnapshots.put(snapshotName, cache);
            }
            return cache;
        } catch (ServerlessCacheSnapshotNotFoundException gone) {
            return Optional.empty();
        } catch (SdkException e) {
            // Not remembered: a passing error must not hide the answer from the next event.
            LOG.warn("could not look up the cache of a serverless snapshot", entry("snapshotName", snapshotName),
                    entry("errorMessage", e.getClass().getSimpleName() + ": " + e.getMessage()));
            return Optional.empty();
        }
    }
}
