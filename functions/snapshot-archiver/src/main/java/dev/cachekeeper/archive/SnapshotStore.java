package dev.cachekeeper.archive;

import dev.cachekeeper.core.aws.ElastiCacheArns;
import dev.cachekeeper.core.aws.ElastiCacheTags;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.snapshot.CacheSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.DescribeCacheClustersResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeServerlessCachesResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeServerlessCacheSnapshotsResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshotAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.SnapshotAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.Tag;

/**
 * The ElastiCache calls the archiver makes, each through the {@link Retrier}, with node-based and serverless
 * snapshots behind one interface. Listing is paged with the largest page the APIs allow, so an account's
 * snapshots cost pages, not one call per cache.
 */
final class SnapshotStore {
    /** DescribeSnapshots allows 20 to 50 per page; DescribeServerlessCacheSnapshots up to 50. */
    static final int PAGE = 50;
    /** DescribeReplicationGroups and DescribeCacheClusters allow 20 to 100 per page. */
    static final int CACHE_PAGE = 100;
    /** DescribeServerlessCaches documents no maximum, only its default of 50: asking more could be refused. */
    static final int SERVERLESS_CACHE_PAGE = 50;

    private final ElastiCacheClient elastiCache;
    private final Retrier retrier;

    SnapshotStore(ElastiCacheClient elastiCache, Retrier retrier) {
        this.elastiCache = elastiCache;
        this.retrier = retrier;
    }

    /** Every node-based snapshot of the account, or only {@code system} / {@code user} ones (request spelling). */
    void eachNodeSnapshot(String source, Consumer<CacheSnapshot> sink) {
        pageNode(b -> b.snapshotSource(source), sink);
    }

    /** Every serverless snapshot of the account, or of one serverless cache. */
    void eachServerlessSnapshot(String cacheName, Consumer<CacheSnapshot> sink) {
        pages(t -> retrier.call(() -> elastiCache.describeServerlessCacheSnapshots(b -> b
                        .serverlessCacheName(cacheName).maxResults(PAGE).nextToken(t))),
                DescribeServerlessCacheSnapshotsResponse::nextToken,
                page -> page.serverlessCacheSnapshots().forEach(s -> sink.accept(CacheSnapshot.of(s))));
    }

    /** The id of every replication group of the account. */
    void eachReplicationGroup(Consumer<String> sink) {
        pages(m -> retrier.call(() -> elastiCache.describeReplicationGroups(b -> b.maxRecords(CACHE_PAGE).marker(m))),
                DescribeReplicationGroupsResponse::marker,
                page -> page.replicationGroups().forEach(g -> sink.accept(g.replicationGroupId())));
    }

    /**
     * The id of every cache cluster outside a replication group (a single-node cluster, whose snapshots name it);
     * the nodes of replication groups are left out, which keeps this to a page or two.
     */
    void eachStandaloneCluster(Consumer<String> sink) {
        pages(m -> retrier.call(() -> elastiCache.describeCacheClusters(b -> b
                        .showCacheClustersNotInReplicationGroups(true).maxRecords(CACHE_PAGE).marker(m))),
                DescribeCacheClustersResponse::marker,
                page -> page.cacheClusters().forEach(c -> sink.accept(c.cacheClusterId())));
    }

    /** The name of every serverless cache of the account. */
    void eachServerlessCache(Consumer<String> sink) {
        pages(t -> retrier.call(() -> elastiCache.describeServerlessCaches(b -> b.maxResults(SERVERLESS_CACHE_PAGE)
                        .nextToken(t))),
                DescribeServerlessCachesResponse::nextToken,
                page -> page.serverlessCaches().forEach(c -> sink.accept(c.serverlessCacheName())));
    }

    /**
     * Asks for page after page ({@code fetch} takes the previous page's marker, null at first) until a page carries
     * no marker: null, or empty as some APIs (the Tagging API) say it.
     */
    static <P> void pages(Function<String, P> fetch, Function<P, String> markerOf, Consumer<P> each) {
        String marker = null;
        do {
            P page = fetch.apply(marker);
            each.accept(page);
            marker = markerOf.apply(page);
        } while (marker != null && !marker.isEmpty());
    }

    /** All snapshots of one cache (its automatic ones, manual ones, and our copies of it). */
    List<CacheSnapshot> ofCache(CacheKind kind, String cacheId) {
        List<CacheSnapshot> out = new ArrayList<>();
        try {
            switch (kind) {
                case SERVERLESS_CACHE -> eachServerlessSnapshot(cacheId, out::add);
                case REPLICATION_GROUP -> pageNode(b -> b.replicationGroupId(cacheId), out::add);
                case CACHE_CLUSTER -> pageNode(b -> b.cacheClusterId(cacheId), out::add);
            }
        } catch (AwsServiceException e) {
            if (!notFound(e)) {
                throw e;
            }
        }
        return out;
    }

    private void pageNode(Consumer<software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsRequest.Builder>
                                  filter, Consumer<CacheSnapshot> sink) {
        pages(m -> retrier.call(() -> elastiCache.describeSnapshots(b -> {
                    filter.accept(b);
                    b.maxRecords(PAGE).marker(m);
                })), DescribeSnapshotsResponse::marker,
                page -> page.snapshots().forEach(s -> sink.accept(CacheSnapshot.of(s))));
    }

    Optional<CacheSnapshot> named(String name, boolean serverless) {
        try {
            if (serverless) {
                return retrier.call(() -> elastiCache.describeServerlessCacheSnapshots(b -> b
                        .serverlessCacheSnapshotName(name))).serverlessCacheSnapshots().stream()
                        .map(CacheSnapshot::of).findFirst();
            }
            return retrier.call(() -> elastiCache.describeSnapshots(b -> b.snapshotName(name))).snapshots().stream()
                    .map(CacheSnapshot::of).findFirst();
        } catch (AwsServiceException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The replication group a member node belongs to, if it is one. */
    Optional<String> replicationGroupOf(String cacheClusterId) {
        try {
            return retrier.call(() -> elastiCache.describeCacheClusters(b -> b.cacheClusterId(cacheClusterId)))
                    .cacheClusters().stream().map(c -> c.replicationGroupId()).filter(java.util.Objects::nonNull)
                    .findFirst();
        } catch (AwsServiceException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Tags of a cache or snapshot; empty when the resource does not exist (a cache that is gone). */
    Optional<Map<String, String>> tags(String arn) {
        try {
            return Optional.of(ElastiCacheTags.of(elastiCache, retrier, arn));
        } catch (AwsServiceException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Copies; false when a snapshot of that name already exists (the caller checks it is ours). */
    boolean copy(CacheSnapshot source, String target, String kmsKeyId, List<Tag> tags) {
        try {
            if (source.serverless()) {
                retrier.run(() -> elastiCache.copyServerlessCacheSnapshot(b -> b
                        .sourceServerlessCacheSnapshotName(source.name()).targetServerlessCacheSnapshotName(target)
                        .kmsKeyId(kmsKeyId).tags(tags)));
            } else {
                retrier.run(() -> elastiCache.copySnapshot(b -> b.sourceSnapshotName(source.name())
                        .targetSnapshotName(target).kmsKeyId(kmsKeyId).tags(tags)));
            }
            return true;
        } catch (SnapshotAlreadyExistsException | ServerlessCacheSnapshotAlreadyExistsException e) {
            return false;
        } catch (AwsServiceException e) {
            if (Retrier.errorCode(e).contains("AlreadyExists")) {
                return false;
            }
            throw e;
        }
    }

    /** Writes the snapshot's .rdb file(s) to the bucket, named after {@code target}. */
    void export(CacheSnapshot source, String target, String bucket) {
        if (source.serverless()) {
            retrier.run(() -> elastiCache.exportServerlessCacheSnapshot(b -> b
                    .serverlessCacheSnapshotName(source.name()).s3BucketName(bucket)));
        } else {
            retrier.run(() -> elastiCache.copySnapshot(b -> b.sourceSnapshotName(source.name())
                    .targetSnapshotName(target).targetBucket(bucket)));
        }
    }

    void delete(CacheSnapshot s) {
        if (s.serverless()) {
            retrier.run(() -> elastiCache.deleteServerlessCacheSnapshot(b -> b.serverlessCacheSnapshotName(s.name())));
        } else {
            retrier.run(() -> elastiCache.deleteSnapshot(b -> b.snapshotName(s.name())));
        }
    }

    /** The ARNs of the account the snapshot lives in, read from its own ARN. */
    static Optional<ElastiCacheArns> arnsOf(CacheSnapshot s) {
        if (s.arn() == null) {
            return Optional.empty();
        }
        String[] p = s.arn().split(":", 6);
        return p.length == 6 ? Optional.of(new ElastiCacheArns(p[1], p[3], p[4])) : Optional.empty();
    }

    static boolean notFound(Throwable e) {
        String code = Retrier.errorCode(e);
        return code.contains("NotFound") || code.equals("InvalidARN");
    }
}
