package dev.cachekeeper.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesRequest;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.InternalServiceException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.InvalidParameterException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.PaginationTokenExpiredException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceGroupsTaggingApiException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.Tag;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.TagFilter;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ThrottledException;

/**
 * The Resource Groups Tagging API's GetResources over the simulated account's ElastiCache resources, answered from
 * the same tag store ListTagsForResource reads (no second copy of any tag). As AWS answers it:
 * <ul>
 *   <li>without a tag filter, every resource that has or once had tags (an emptied one with an empty tag list);
 *       with tag filters, only resources matching all of them (any of a filter's values; no values = the key);</li>
 *   <li>resource type filters {@code service} or {@code service:type}, the type as in the ARN
 *       ({@code elasticache:replicationgroup}, {@code elasticache:snapshot}, ...);</li>
 *   <li>pages of 1 to 100 resources ({@code ResourcesPerPage}), an empty {@code PaginationToken} after the last;
 *   or up to 100 ARNs in {@code ResourceARNList}, which admits no paging parameter and leaves out ARNs that do not
 *   exist or carry no tags.</li>
 * </ul>
 * Unlike AWS, the index here is never behind: the eventual consistency of the real one is the code's to respect.
 */
public final class SimulatedResourceGroupsTagging implements ResourceGroupsTaggingApiClient {
    static final ServiceErrors ERRORS = new ServiceErrors("ResourceGroupsTaggingApi",
            ResourceGroupsTaggingApiException::builder, Map.of(
            "InvalidParameterException", new ServiceErrors.Modelled(400, InvalidParameterException::builder),
            "ThrottledException", new ServiceErrors.Modelled(400, ThrottledException::builder),
            "InternalServiceException", new ServiceErrors.Modelled(500, InternalServiceException::builder),
            "PaginationTokenExpiredException",
            new ServiceErrors.Modelled(400, PaginationTokenExpiredException::builder)),
            "ThrottledException", 400);

    static final int MAX_PER_PAGE = 100;
    static final int DEFAULT_PER_PAGE = 50;
    static final int MAX_ARNS = 100;

    private final SimulatedAws aws;
    private final Gate gate;

    SimulatedResourceGroupsTagging(SimulatedAws aws) {
        this.aws = aws;
        // "tag" is the IAM prefix of the service: tag:GetResources.
        this.gate = new Gate(aws, "tag", ERRORS);
    }

    @Override
    public GetResourcesResponse getResources(GetResourcesRequest r) {
        return gate.call("GetResources", false, Gate.params(
                "ResourceTypeFilters", r.hasResourceTypeFilters() ? String.join(",", r.resourceTypeFilters()) : null,
                "TagFilters", r.hasTagFilters() ? String.join(",", r.tagFilters().stream().map(TagFilter::key)
                        .toList()) : null,
                "ResourceARNList", r.hasResourceARNList() ? String.valueOf(r.resourceARNList().size()) : null,
                "ResourcesPerPage", r.resourcesPerPage(),
                "PaginationToken", r.paginationToken()), () -> {
            validate(r);
            TreeMap<String, Map<String, String>> index = aws.elastiCache().model().tags.everTagged();
            Set<String> wanted = r.hasResourceARNList() ? Set.copyOf(r.resourceARNList()) : null;
            List<ResourceTagMapping> found = new ArrayList<>();
            index.forEach((arn, tags) -> {
                boolean listed = wanted == null || wanted.contains(arn);
                // Untagged resources are never returned, except as "once tagged" in an unfiltered listing.
                boolean shown = tags.isEmpty() ? wanted == null && !r.hasTagFilters() : matches(r.tagFilters(), tags);
                if (listed && shown && ofType(r.resourceTypeFilters(), arn)) {
                    found.add(ResourceTagMapping.builder().resourceARN(arn).tags(tags.entrySet().stream()
                            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()).build());
                }
            });
            if (wanted != null) {
                return GetResourcesResponse.builder().resourceTagMappingList(found).paginationToken("").build();
            }
            Paging.Page<ResourceTagMapping> page = Paging.page(found, r.paginationToken(), r.resourcesPerPage(), 1,
                    MAX_PER_PAGE, DEFAULT_PER_PAGE, "ResourcesPerPage", SimulatedResourceGroupsTagging::invalid);
            return GetResourcesResponse.builder().resourceTagMappingList(page.items())
                    .paginationToken(page.nextMarker() == null ? "" : page.nextMarker()).build();
        });
    }

    private static void validate(GetResourcesRequest r) {
        if (r.hasResourceARNList()) {
            if (r.resourcesPerPage() != null || r.tagsPerPage() != null
                    || (r.paginationToken() != null && !r.paginationToken().isEmpty())) {
                throw invalid("ResourceARNList cannot be combined with ResourcesPerPage, TagsPerPage or"
                        + " PaginationToken.");
            }
            if (r.resourceARNList().isEmpty() || r.resourceARNList().size() > MAX_ARNS) {
                throw invalid("ResourceARNList must have between 1 and " + MAX_ARNS + " items.");
            }
        }
        if (r.tagFilters().size() > 50) {
            throw invalid("A request can include up to 50 tag filters.");
        }
        for (TagFilter f : r.tagFilters()) {
            if (f.key() == null || f.key().isEmpty()) {
                throw invalid("Each TagFilter needs a Key.");
            }
            if (f.values().size() > 20) {
                throw invalid("A TagFilter can have up to 20 values.");
            }
        }
        for (String type : r.resourceTypeFilters()) {
            if (type == null || type.isEmpty() || type.split(":", -1).length > 2) {
                throw invalid("Resource type filters are service or service:resourceType, not '" + type + "'.");
            }
        }
    }

    /** All filters hold: the key is there, with one of the values when values are given. */
    private static boolean matches(List<TagFilter> filters, Map<String, String> tags) {
        for (TagFilter f : filters) {
            String v = tags.get(f.key());
            if (v == null || (!f.values().isEmpty() && !f.values().contains(v))) {
                return false;
            }
        }
        return true;
    }

    /** {@code arn:partition:service:region:account:type:id} against {@code service} or {@code service:type}. */
    private static boolean ofType(List<String> filters, String arn) {
        if (filters.isEmpty()) {
            return true;
        }
        String[] p = arn.split(":", 7);
        String service = p.length > 2 ? p[2] : "";
        String type = p.length > 6 ? service + ":" + p[5] : service;
        return filters.stream().anyMatch(f -> f.equals(service) || f.equals(type));
    }

    private static RuntimeException invalid(String message) {
        return ERRORS.error("InvalidParameterException", message);
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
