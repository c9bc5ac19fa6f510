package dev.cachekeeper.archive;

import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.CacheKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;

/**
 * The tags of many ElastiCache resources at once, from the Resource Groups Tagging API (GetResources): the sweep's
 * way to learn every cache's tags in a few pages instead of one ListTagsForResource per cache or copy.
 *
 * <p>What it cannot say: that a resource exists (it lists only resources that have, or had, tags), or what
 * happened in the last minutes (its index is eventually consistent). The sweep asks the Describe pages which
 * caches exist, and every deletion is still held to the live tag by IAM ({@code aws:ResourceTag} on the delete).
 *
 * <p>The client is asked for on first use: only the sweep reads tags this way, so the event path and cold start
 * never build it.
 */
final class TagIndex {
    /** GetResources returns 1 to 100 resources per page. */
    static final int PAGE = 100;
    /** ... or answers for up to 100 ARNs named in one call. */
    static final int ARNS_PER_CALL = 100;
    /**
     * The Tagging API's resource type of each kind of cache, as in its ARN. Cache clusters are not asked for by type:
     * the nodes of every replication group are clusters carrying their group's tags, which would multiply the pages;
     * the few clusters outside groups are asked for by ARN ({@link #tagsOf}).
     */
    static final Map<CacheKind, String> CACHE_TYPES = Map.of(
            CacheKind.REPLICATION_GROUP, "elasticache:replicationgroup",
            CacheKind.SERVERLESS_CACHE, "elasticache:serverlesscache");

    private final Supplier<ResourceGroupsTaggingApiClient> client;
    private final Retrier retrier;

    TagIndex(Supplier<ResourceGroupsTaggingApiClient> client, Retrier retrier) {
        this.client = client;
        this.retrier = retrier;
    }

    /**
     * The tags of the account's caches of the given kinds (replication groups, serverless caches), by cache. With a
     * {@code requiredKey}, only caches carrying that key (whatever its value, which the selection compares itself)
     * are returned: a cache absent from the answer, yet listed by its Describe page, has no such tag.
     */
    Map<CacheKey, Map<String, String>> cacheTags(Collection<CacheKind> kinds, String requiredKey) {
        List<String> types = kinds.stream().map(k -> {
            String type = CACHE_TYPES.get(k);
            if (type == null) {
                throw new IllegalArgumentException(k + " caches are asked for by ARN, not by type");
            }
            return type;
        }).sorted().toList();
        Map<CacheKey, Map<String, String>> out = new HashMap<>();
        SnapshotStore.pages(t -> retrier.call(() -> client.get().getResources(b -> {
            b.resourceTypeFilters(types).resourcesPerPage(PAGE).paginationToken(t);
            if (requiredKey != null) {
                b.tagFilters(f -> f.key(requiredKey));
            }
        })), GetResourcesResponse::paginationToken, page -> {
            for (ResourceTagMapping m : page.resourceTagMappingList()) {
                cacheOf(m.resourceARN()).ifPresent(key -> out.put(key, tags(m)));
            }
        });
        return out;
    }

    /** The tags of up to {@link #ARNS_PER_CALL} resources by ARN, in one call; resources with no tags are absent. */
    Map<String, Map<String, String>> tagsOf(List<String> arns) {
        if (arns.isEmpty()) {
            return Map.of();
        }
        if (arns.size() > ARNS_PER_CALL) {
            throw new IllegalArgumentException("at most " + ARNS_PER_CALL + " ARNs per call, not " + arns.size());
        }
        Map<String, Map<String, String>> out = new HashMap<>();
        retrier.call(() -> client.get().getResources(b -> b.resourceARNList(arns))).resourceTagMappingList()
                .forEach(m -> out.put(m.resourceARN(), tags(m)));
        return out;
    }

    /** {@code arns} cut into calls of at most {@link #ARNS_PER_CALL}. */
    static List<List<String>> batches(List<String> arns) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < arns.size(); i += ARNS_PER_CALL) {
            out.add(List.copyOf(arns.subList(i, Math.min(arns.size(), i + ARNS_PER_CALL))));
        }
        return out;
    }

    /** {@code arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:orders} → replication-group/orders. */
    static Optional<CacheKey> cacheOf(String arn) {
        String[] p = arn == null ? new String[0] : arn.split(":", 7);
        if (p.length != 7) {
            return Optional.empty();
        }
        CacheKind kind = switch (p[5]) {
            case "replicationgroup" -> CacheKind.REPLICATION_GROUP;
            case "cluster" -> CacheKind.CACHE_CLUSTER;
            case "serverlesscache" -> CacheKind.SERVERLESS_CACHE;
            default -> null;
        };
        return kind == null ? Optional.empty() : Optional.of(new CacheKey(kind, p[6]));
    }

    private static Map<String, String> tags(ResourceTagMapping m) {
        Map<String, String> tags = new LinkedHashMap<>();
        m.tags().forEach(t -> tags.put(t.key(), t.value() == null ? "" : t.value()));
        return tags;
    }
}
