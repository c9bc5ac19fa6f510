package dev.cachekeeper.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.DescribeCacheClustersRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeServerlessCachesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesRequest;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.InvalidParameterException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceGroupsTaggingApiException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ThrottledException;

class ResourceGroupsTaggingTest {
    /**
     * 130 replication groups (every third tagged protect=true, every fifth with no tags at all), a standalone
     * cluster, two serverless caches, and one tagged snapshot of g000.
     */
    private static SimulatedAws world() {
        ObjectNode w = Json.MAPPER.createObjectNode();
        w.putObject("account").put("accountId", "123456789012").put("region", "eu-west-1")
                .put("now", "2026-11-01T00:00:00Z");
        ArrayNode groups = w.putArray("replicationGroups");
        for (int i = 0; i < 130; i++) {
            ObjectNode g = groups.addObject().put("id", String.format("g%03d", i)).put("description", "t")
                    .put("engine", "valkey").put("engineVersion", "8.0").put("cacheNodeType", "cache.t4g.small")
                    .put("clusterMode", false).put("createTime", "2026-01-01T00:00:00Z");
            if (i % 5 != 0) {
                ObjectNode tags = g.putObject("tags").put("team", "t" + (i % 4));
                if (i % 3 == 0) {
                    tags.put("cachekeeper:protect", "true");
                }
            }
        }
        w.putArray("cacheClusters").addObject().put("id", "solo").put("engine", "redis").put("engineVersion", "7.1")
                .put("cacheNodeType", "cache.t4g.small").put("createTime", "2026-01-01T00:00:00Z")
                .putObject("tags").put("team", "t1");
        ArrayNode serverless = w.putArray("serverlessCaches");
        serverless.addObject().put("name", "sl-a").put("engine", "valkey").put("majorEngineVersion", "8")
                .put("createTime", "2026-01-01T00:00:00Z").putObject("tags").put("cachekeeper:protect", "true");
        serverless.addObject().put("name", "sl-b").put("engine", "valkey").put("majorEngineVersion", "8")
                .put("createTime", "2026-01-01T00:00:00Z");
        w.putArray("snapshots").addObject().put("name", "cachekeeper-archive-x").put("source", "manual")
                .put("replicationGroupId", "g000").put("createTime", "2026-10-01T00:00:00Z")
                .putObject("tags").put("cachekeeper:managed", "true");
        return SimulatedAws.fromWorld(w.toString());
    }

    private static List<ResourceTagMapping> all(SimulatedAws aws, Consumer<GetResourcesRequest.Builder> request) {
        List<ResourceTagMapping> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            GetResourcesResponse page = aws.resourceGroupsTagging().getResources(b -> {
                request.accept(b);
                b.paginationToken(t);
            });
            out.addAll(page.resourceTagMappingList());
            token = page.paginationToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    private static Map<String, String> tags(ResourceTagMapping m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.tags().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    @Test
    void pagesThroughTaggedResourcesOfTheTypesAsked() {
        SimulatedAws aws = world();
        List<ResourceTagMapping> groups = all(aws, b -> b.resourceTypeFilters("elasticache:replicationgroup")
                .resourcesPerPage(100));

        assertEquals(104, groups.size(), "130 groups, 26 never tagged");
        assertEquals(2, aws.callLog().of("GetResources").size(), "100 and 4");
        assertTrue(groups.stream().allMatch(m -> m.resourceARN().contains(":replicationgroup:g")));
        assertEquals(aws.elastiCache().tagsOf(aws.elastiCache().arn("replicationgroup", "g003")),
                tags(groups.stream().filter(m -> m.resourceARN().endsWith(":g003")).findFirst().orElseThrow()),
                "the same tags ListTagsForResource reads");
        assertEquals("", aws.resourceGroupsTagging().getResources(b -> b
                .resourceTypeFilters("elasticache:replicationgroup").resourcesPerPage(100)
                .paginationToken(aws.resourceGroupsTagging().getResources(c -> c
                        .resourceTypeFilters("elasticache:replicationgroup").resourcesPerPage(100))
                        .paginationToken())).paginationToken(), "the last page says so with an empty token");

        List<ResourceTagMapping> caches = all(aws, b -> b.resourceTypeFilters("elasticache:cluster",
                "elasticache:serverlesscache").resourcesPerPage(100));
        // Members of tagged groups carry their group's tags: 104 groups x 1 node, the standalone one, sl-a.
        assertEquals(106, caches.size());
        assertEquals(all(aws, b -> b.resourcesPerPage(100)).size(), all(aws, b -> b.resourceTypeFilters("elasticache")
                .resourcesPerPage(100)).size(), "a service alone matches all its types");
    }

    @Test
    void tagFiltersNeedEveryKeyAndOneOfItsValues() {
        SimulatedAws aws = world();
        List<ResourceTagMapping> protectedGroups = all(aws, b -> b.resourceTypeFilters("elasticache:replicationgroup")
                .tagFilters(f -> f.key("cachekeeper:protect")));
        // Multiples of 3 below 130 that are not multiples of 5: 44 - 9.
        assertEquals(35, protectedGroups.size());
        assertEquals(List.of(), all(aws, b -> b.resourceTypeFilters("elasticache:replicationgroup")
                .tagFilters(f -> f.key("cachekeeper:protect").values("TRUE"))), "values match exactly");
        List<ResourceTagMapping> both = all(aws, b -> b.resourceTypeFilters("elasticache:replicationgroup")
                .tagFilters(f -> f.key("cachekeeper:protect").values("true"), f -> f.key("team").values("t1", "t2")));
        assertTrue(both.stream().allMatch(m -> tags(m).get("team").matches("t[12]")));
        assertEquals(protectedGroups.stream().filter(m -> tags(m).get("team").matches("t[12]")).count(),
                both.size());
    }

    @Test
    void aResourceWhoseTagsWereRemovedIsListedEmptyOnlyWithoutATagFilterAndADeletedOneNotAtAll() {
        SimulatedAws aws = world();
        String arn = aws.elastiCache().arn("snapshot", "cachekeeper-archive-x");
        aws.elastiCache().removeTagsFromResource(b -> b.resourceName(arn).tagKeys("cachekeeper:managed"));

        List<ResourceTagMapping> snapshots = all(aws, b -> b.resourceTypeFilters("elasticache:snapshot"));
        assertEquals(1, snapshots.size());
        assertEquals(Map.of(), tags(snapshots.getFirst()));
        assertEquals(List.of(), all(aws, b -> b.resourceTypeFilters("elasticache:snapshot")
                .tagFilters(f -> f.key("cachekeeper:managed"))));

        aws.elastiCache().deleteSnapshot(b -> b.snapshotName("cachekeeper-archive-x"));
        aws.advance(java.time.Duration.ofHours(1));
        assertEquals(List.of(), all(aws, b -> b.resourceTypeFilters("elasticache:snapshot")));
    }

    @Test
    void anArnListAnswersInOneCallForTheTaggedOnesThatExist() {
        SimulatedAws aws = world();
        String tagged = aws.elastiCache().arn("replicationgroup", "g001");
        String untagged = aws.elastiCache().arn("replicationgroup", "g005");
        String gone = aws.elastiCache().arn("replicationgroup", "never-was");
        GetResourcesResponse r = aws.resourceGroupsTagging().getResources(b -> b.resourceARNList(tagged, untagged,
                gone));

        assertEquals(List.of(tagged), r.resourceTagMappingList().stream().map(ResourceTagMapping::resourceARN)
                .toList());
        assertThrows(InvalidParameterException.class, () -> aws.resourceGroupsTagging().getResources(b -> b
                .resourceARNList(tagged).resourcesPerPage(10)), "no paging with an ARN list");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(aws.elastiCache().arn("replicationgroup", "g" + i));
        }
        assertThrows(InvalidParameterException.class, () -> aws.resourceGroupsTagging().getResources(b -> b
                .resourceARNList(tooMany)));
        assertThrows(InvalidParameterException.class, () -> aws.resourceGroupsTagging().getResources(b -> b
                .resourcesPerPage(101)));
    }

    @Test
    void faultsAndTheCallLogWorkAsForEveryOtherService() {
        SimulatedAws aws = world();
        aws.faults().throttle("GetResources", 1).fail("tag:GetResources", 1, "AccessDeniedException",
                "User is not authorized to perform: tag:GetResources", 400);

        // The service-qualified fault is drawn first.
        ResourceGroupsTaggingApiException denied = assertThrows(ResourceGroupsTaggingApiException.class,
                () -> aws.resourceGroupsTagging().getResources(b -> b.resourcesPerPage(5)));
        assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
        ThrottledException throttled = assertThrows(ThrottledException.class,
                () -> aws.resourceGroupsTagging().getResources(b -> b.resourcesPerPage(5)));
        assertTrue(throttled.isThrottlingException());
        aws.resourceGroupsTagging().getResources(b -> b.resourcesPerPage(5));

        List<ApiCall> calls = aws.callLog().of("GetResources");
        assertEquals(List.of("AccessDeniedException", "ThrottledException", "ok"),
                calls.stream().map(ApiCall::outcome).toList());
        assertTrue(calls.stream().allMatch(c -> c.service().equals("tag") && !c.mutating()));
    }

    @Test
    void cachesArePagedByTheDescribeOperationsToo() {
        SimulatedAws aws = world();
        List<String> groups = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            DescribeReplicationGroupsResponse page = aws.elastiCache().describeReplicationGroups(b -> b.maxRecords(100)
                    .marker(m));
            page.replicationGroups().forEach(g -> groups.add(g.replicationGroupId()));
            marker = page.marker();
        } while (marker != null);
        assertEquals(130, groups.size());
        assertEquals(2, aws.callLog().of("DescribeReplicationGroups").size());

        assertEquals(List.of("solo"), aws.elastiCache().describeCacheClusters(DescribeCacheClustersRequest.builder()
                .showCacheClustersNotInReplicationGroups(true).maxRecords(100).build()).cacheClusters().stream()
                .map(c -> c.cacheClusterId()).toList(), "only clusters outside replication groups");
        DescribeServerlessCachesResponse first = aws.elastiCache().describeServerlessCaches(b -> b.maxResults(1));
        DescribeServerlessCachesResponse second = aws.elastiCache().describeServerlessCaches(b -> b.maxResults(1)
                .nextToken(first.nextToken()));
        assertEquals(List.of("sl-a", "sl-b"), List.of(first.serverlessCaches().getFirst().serverlessCacheName(),
                second.serverlessCaches().getFirst().serverlessCacheName()));
        assertEquals(null, second.nextToken());
    }
}
