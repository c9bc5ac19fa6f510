package dev.cachekeeper.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.statemachine.SdkIntegration.ErrorNaming;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsResponse;
import software.amazon.awssdk.services.elasticache.model.Endpoint;
import software.amazon.awssdk.services.elasticache.model.NodeGroup;
import software.amazon.awssdk.services.elasticache.model.NodeGroupConfiguration;
import software.amazon.awssdk.services.elasticache.model.NodeGroupMember;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.SnapshotAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.Tag;

/** The PascalCase JSON <-> SDK v2 converter and the error naming, against the real ElastiCache model classes. */
class SdkIntegrationTest {

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final String CREATE = """
            {'ReplicationGroupId': 'orders-restore',
             'ReplicationGroupDescription': 'restore of orders',
             'Engine': 'valkey',
             'CacheNodeType': 'cache.r7g.large',
             'NumNodeGroups': 2,
             'AutomaticFailoverEnabled': true,
             'MultiAZEnabled': true,
             'SnapshotName': 'ck-orders-2025-01-01',
             'SecurityGroupIds': ['sg-1', 'sg-2'],
             'NodeGroupConfiguration': [
               {'NodeGroupId': '0001', 'Slots': '0-8191', 'ReplicaCount': 1,
                'PrimaryAvailabilityZone': 'eu-west-1a', 'ReplicaAvailabilityZones': ['eu-west-1b']},
               {'NodeGroupId': '0002', 'Slots': '8192-16383', 'ReplicaCount': 1}
             ],
             'Tags': [{'Key': 'cachekeeper:managed', 'Value': 'true'}, {'Key': 'source', 'Value': 'orders'}]}
            """;

    @Test
    void createReplicationGroupParametersBecomeTheSdkRequest() {
        CreateReplicationGroupRequest request = SdkJson.toModel(json(CREATE), CreateReplicationGroupRequest.class);

        assertEquals("orders-restore", request.replicationGroupId());
        assertEquals("valkey", request.engine());
        assertEquals(2, request.numNodeGroups());
        assertEquals(true, request.automaticFailoverEnabled());
        assertEquals(List.of("sg-1", "sg-2"), request.securityGroupIds());
        assertEquals(List.of(
                NodeGroupConfiguration.builder().nodeGroupId("0001").slots("0-8191").replicaCount(1)
                        .primaryAvailabilityZone("eu-west-1a").replicaAvailabilityZones("eu-west-1b").build(),
                NodeGroupConfiguration.builder().nodeGroupId("0002").slots("8192-16383").replicaCount(1).build()),
                request.nodeGroupConfiguration());
        assertEquals(List.of(Tag.builder().key("cachekeeper:managed").value("true").build(),
                Tag.builder().key("source").value("orders").build()), request.tags());
        assertFalse(request.hasPreferredCacheClusterAZs(), "absent lists stay absent");
    }

    @Test
    void theRequestConvertsBackToTheSameJson() {
        JsonNode parameters = json(CREATE);
        assertEquals(parameters, SdkJson.toJson(SdkJson.toModel(parameters, CreateReplicationGroupRequest.class)));
    }

    @Test
    void describeResponseLooksLikeStepFunctionsOutput() {
        Instant created = Instant.parse("2025-01-01T10:15:30Z");
        DescribeReplicationGroupsResponse response = DescribeReplicationGroupsResponse.builder()
                .marker("next")
                .replicationGroups(ReplicationGroup.builder()
                        .replicationGroupId("orders")
                        .status("available")
                        .automaticFailover("enabled")
                        .clusterEnabled(true)
                        .replicationGroupCreateTime(created)
                        .nodeGroups(NodeGroup.builder()
                                .nodeGroupId("0001")
                                .status("available")
                                .primaryEndpoint(Endpoint.builder().address("orders.abc.cache.amazonaws.com").port(6379).build())
                                .nodeGroupMembers(NodeGroupMember.builder().cacheClusterId("orders-0001-001").currentRole("primary").build())
                                .build())
                        .build())
                .build();

        ObjectNode out = SdkJson.toJson(response);

        assertEquals(json("""
                {'Marker': 'next',
                 'ReplicationGroups': [{
                   'ReplicationGroupId': 'orders',
                   'Status': 'available',
                   'NodeGroups': [{'NodeGroupId': '0001', 'Status': 'available',
                                   'PrimaryEndpoint': {'Address': 'orders.abc.cache.amazonaws.com', 'Port': 6379},
                                   'NodeGroupMembers': [{'CacheClusterId': 'orders-0001-001', 'CurrentRole': 'primary'}]}],
                   'AutomaticFailover': 'enabled',
                   'ClusterEnabled': true,
                   'ReplicationGroupCreateTime': '2025-01-01T10:15:30Z'}]}
                """), out);
        // and back: the JSON holds everything the model held
        assertEquals(response, SdkJson.toModel(out, DescribeReplicationGroupsResponse.class));
    }

    @Test
    void unknownOrMistypedParametersAreRejectedWithTheirPath() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SdkJson.toModel(json("{'ReplicationGroupID': 'x'}"), DescribeReplicationGroupsRequest.class));
        assertTrue(unknown.getMessage().contains("ReplicationGroupID"), unknown.getMessage());

        IllegalArgumentException mistyped = assertThrows(IllegalArgumentException.class,
                () -> SdkJson.toModel(json("{'NodeGroupConfiguration': [{'ReplicaCount': 'one'}]}"), CreateReplicationGroupRequest.class));
        assertTrue(mistyped.getMessage().contains("NodeGroupConfiguration[0].ReplicaCount"), mistyped.getMessage());
    }

    @Test
    void handlersCoverTheClientOperationsByResourceArn() throws TaskFailure {
        FakeElastiCache fake = new FakeElastiCache();
        fake.status = () -> "modifying";
        Map<String, TaskHandler> handlers = SdkIntegration.elastiCache(fake);

        assertTrue(handlers.containsKey("arn:aws:states:::aws-sdk:elasticache:createReplicationGroup"));
        assertTrue(handlers.containsKey("arn:aws:states:::aws-sdk:elasticache:copySnapshot"));
        assertFalse(handlers.keySet().stream().anyMatch(k -> k.endsWith("Paginator")), "paginators are not operations");

        JsonNode out = handlers.get("arn:aws:states:::aws-sdk:elasticache:describeReplicationGroups")
                .handle(json("{'ReplicationGroupId': 'orders'}"));
        assertEquals(json("{'ReplicationGroups': [{'ReplicationGroupId': 'orders', 'Status': 'modifying'}]}"), out);
        assertEquals("orders", ((DescribeReplicationGroupsRequest) fake.requests.get(0)).replicationGroupId());
    }

    @Test
    void serviceErrorsAreNamedAsSelected() {
        FakeElastiCache fake = new FakeElastiCache();
        fake.createFailure = FakeElastiCache.error(SnapshotAlreadyExistsException.builder(), "SnapshotAlreadyExistsFault", "exists");
        TaskHandler create = SdkIntegration.elastiCache(fake, ErrorNaming.AS_RETURNED)
                .get("arn:aws:states:::aws-sdk:elasticache:createReplicationGroup");
        TaskFailure failure = assertThrows(TaskFailure.class, () -> create.handle(json("{'ReplicationGroupId': 'x'}")));
        assertEquals("ElastiCache.SnapshotAlreadyExistsFaultException", failure.error());
        assertTrue(failure.cause().contains("exists"));

        assertEquals("ElastiCache.ReplicationGroupAlreadyExistsException", ErrorNaming.AS_RETURNED.errorName("ElastiCache", "ReplicationGroupAlreadyExists"));
        assertEquals("ElastiCache.ReplicationGroupAlreadyExistsFaultException", ErrorNaming.AS_RETURNED.errorName("ElastiCache", "ReplicationGroupAlreadyExistsFault"));
        assertEquals("ElastiCache.ReplicationGroupAlreadyExistsFaultException", ErrorNaming.FAULT_KEPT.errorName("ElastiCache", "ReplicationGroupAlreadyExists"));
        assertEquals("ElastiCache.ReplicationGroupAlreadyExistsFaultException", ErrorNaming.FAULT_KEPT.errorName("ElastiCache", "ReplicationGroupAlreadyExistsFault"));
        assertEquals("ElastiCache.SnapshotAlreadyExistsException", ErrorNaming.FAULT_DROPPED.errorName("ElastiCache", "SnapshotAlreadyExistsFault"));
        assertEquals("ElastiCache.SnapshotAlreadyExistsException", ErrorNaming.FAULT_DROPPED.errorName("ElastiCache", "SnapshotAlreadyExists"));
        assertEquals("States.TaskFailed", ErrorNaming.TASK_FAILED_ONLY.errorName("ElastiCache", "SnapshotAlreadyExistsFault"));
        assertEquals("AcmPca.ResourceNotFoundException", ErrorNaming.AS_RETURNED.errorName("AcmPca", "ResourceNotFoundException"),
                "no double suffix");
    }

    @Test
    void anExceptionWithoutAnErrorCodeIsNamedAfterItsClass() {
        FakeElastiCache fake = new FakeElastiCache();
        fake.createFailure = ReplicationGroupAlreadyExistsException.builder().message("exists").build();
        TaskHandler create = SdkIntegration.elastiCache(fake).get("arn:aws:states:::aws-sdk:elasticache:createReplicationGroup");
        TaskFailure failure = assertThrows(TaskFailure.class, () -> create.handle(json("{}")));
        assertEquals("ElastiCache.ReplicationGroupAlreadyExistsException", failure.error());
    }

    @Test
    void anOperationTheFakeDoesNotImplementIsAHarnessError() {
        TaskHandler copy = SdkIntegration.elastiCache(new FakeElastiCache()).get("arn:aws:states:::aws-sdk:elasticache:copySnapshot");
        HarnessException e = assertThrows(HarnessException.class, () -> copy.handle(json("{'SourceSnapshotName': 'a'}")));
        assertTrue(e.getMessage().contains("copySnapshot"), e.getMessage());
    }
}
