package dev.cachekeeper.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.lambda.Priming;
import dev.cachekeeper.simulation.SimulatedAws;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;

class CacheResolverTest {
    private final SimulatedAws aws = new SimulatedAws();
    private final CacheResolver resolver = new CacheResolver(aws.elastiCache(),
            Retrier.standard(aws.clock(), aws::advance));

    CacheResolverTest() {
        aws.elastiCache().createReplicationGroup(CreateReplicationGroupRequest.builder()
                .replicationGroupId("orders").replicationGroupDescription("test").engine("valkey")
                .numCacheClusters(2).automaticFailoverEnabled(true).build());
        aws.advance(aws.elastiCache().timings().groupCreate());
    }

    @Test
    void aNodesGroupIsLookedUpOnceAndRemembered() {
        CacheResolver.Placement first = resolver.ofNode("orders-002");
        CacheResolver.Placement again = resolver.ofNode("orders-002");

        assertEquals(new CacheResolver.Placement(CacheKind.REPLICATION_GROUP, "orders", "orders-002", "0001", true),
                first);
        assertEquals(first, again);
        assertEquals(1, aws.callLog().of("DescribeCacheClusters").size());
    }

    @Test
    void whatPrimingReadIsNotRemembered() {
        // In Lambda priming's answers are made up (an empty page); a kept one would misroute the node's real events.
        Priming.register(() -> resolver.ofNode("orders-002")).prime();
        Priming.register(() -> resolver.cacheOfServerlessSnapshot("nightly")).prime();
        aws.clearCalls();

        resolver.ofNode("orders-002");
        resolver.cacheOfServerlessSnapshot("nightly");

        assertEquals(1, aws.callLog().of("DescribeCacheClusters").size(), "looked up again after priming");
        assertEquals(1, aws.callLog().of("DescribeServerlessCacheSnapshots").size());
    }
}
