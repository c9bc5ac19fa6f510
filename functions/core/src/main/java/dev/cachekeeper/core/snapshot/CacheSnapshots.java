package dev.cachekeeper.core.snapshot;

import dev.cachekeeper.core.aws.ElastiCacheTags;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.CacheKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshotNotFoundException;
import software.amazon.awssdk.services.elasticache.model.SnapshotNotFoundException;

/**
 * Reads snapshots of node-based and serverless caches through one interface: one by name, all of one cache, and
 * their tags.
 *
 * <p>Listing "all of one cache" pages through the account's snapshots and filters here rather than passing the
 * cache id to DescribeSnapshots: once a cache is deleted, ElastiCache answers a filter on its id with
 * CacheClusterNotFound / ReplicationGroupNotFound, and the snapshots that survived it are exactly the ones a delete
 * audit must find.
 */
public final class CacheSnapshots {
    /** DescribeSnapshots takes 20 to 50 per page. */
    static final int PAGE_SIZE = 50;

    private final ElastiCacheClient elastiCache;
    private final Retrier retrier;

    public CacheSnapshots(ElastiCacheClient elastiCache, Retrier retrier) {
        this.elastiCache = elastiCache;
        this.retrier = retrier;
    }

    /** The snapshot with this name, if it exists. */
    public Optional<CacheSnapshot> find(boolean serverless, String name) {
        try {
            if (serverless) {
                return retrier.call(() -> elastiCache.describeServerlessCacheSnapshots(
                                b -> b.serverlessCacheSnapshotName(name)))
                        .serverlessCacheSnapshots().stream().findFirst().map(CacheSnapshot::of);
            }
            return retrier.call(() -> elastiCache.describeSnapshots(b -> b.snapshotName(name)))
                    .snapshots().stream().findFirst().map(CacheSnapshot::of);
        } catch (SnapshotNotFoundException | ServerlessCacheSnapshotNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Every snapshot (manual and automatic) taken of this cache that still exists, newest first. */
    public List<CacheSnapshot> of(CacheKind kind, String cacheId) {
        List<CacheSnapshot> out = new ArrayList<>();
        for (CacheSnapshot s : all(kind == CacheKind.SERVERLESS_CACHE)) {
            if (cacheId.equalsIgnoreCase(s.cacheId())
                    || (kind == CacheKind.CACHE_CLUSTER && cacheId.equalsIgnoreCase(s.nodeId()))) {
                out.add(s);
            }
        }
        out.sort(NEWEST_FIRST);
        return out;
    }

    /** Every snapshot of this sort in the account and region. */
    public List<CacheSnapshot> all(boolean serverless) {
        List<CacheSnapshot> out = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            if (serverless) {
                var page = retrier.call(() -> elastiCache.describeServerlessCacheSnapshots(
                        b -> b.maxResults(PAGE_SIZE).nextToken(m)));
                page.serverlessCacheSnapshots().forEach(s -> out.add(CacheSnapshot.of(s)));
                marker = page.nextToken();
            } else {
                var page = retrier.call(() -> elastiCache.describeSnapshots(b -> b.maxRecords(PAGE_SIZE).marker(m)));
                page.snapshots().forEach(s -> out.add(CacheSnapshot.of(s)));
                marker = page.marker();
            }
        } while (marker != null && !marker.isEmpty());
        return out;
    }

    public Map<String, String> tags(CacheSnapshot snapshot) {
        return ElastiCacheTags.of(elastiCache, retrier, snapshot.arn());
    }

    public static final Comparator<CacheSnapshot> NEWEST_FIRST = Comparator.comparing(CacheSnapshot::taken,
            Comparator.nullsFirst(Comparator.<Instant>naturalOrder())).reversed();
}
