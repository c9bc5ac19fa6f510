package dev.cachekeeper.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.cachekeeper.archive.ArchiveRules;
import dev.cachekeeper.core.snapshot.ManagedTags;
import dev.cachekeeper.core.snapshot.SnapshotNames;
import dev.cachekeeper.destroy.SafeDestroyer;
import dev.cachekeeper.restore.RestoreTags;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real template.yaml against the code, the sample events and the SAM/CloudFormation spec. Data-driven: every
 * function, rule and sample added later is covered without touching this class, except for ROUTES.
 */
class TemplateContractTest {

    /**
     * Sample event (path under events/) to the rules it must reach: "FunctionLogicalId.EventName" for a SAM
     * event, the logical id for an AWS::Events::Rule or AWS::SNS::Subscription. Every EventBridge sample (has
     * "detail-type") and SNS sample (Records[].Sns) under events/ must be listed; an empty set means "reaches
     * nothing" (for example an event the project deliberately ignores).
     */
    static final Map<String, Set<String>> ROUTES = Map.ofEntries(
            // Map.entry("eventbridge/cachekeeper-failover-completed.json", Set.of("FailoverObserverFunction.Failover")),
            Map.entry("cloudtrail-copy-snapshot.json", Set.of("IngestFunction.ApiCalls")),
            Map.entry("cloudtrail-create-snapshot.json", Set.of("IngestFunction.ApiCalls")),
            Map.entry("cloudtrail-delete-cache-cluster.json", Set.of("IngestFunction.ApiCalls")),
            Map.entry("cloudtrail-delete-replication-group-denied.json", Set.of("IngestFunction.ApiCalls")),
            Map.entry("cloudtrail-delete-replication-group-no-final-snapshot.json", Set.of("IngestFunction.ApiCalls")),
            Map.entry("cloudtrail-delete-replication-group.json", Set.of("IngestFunction.ApiCalls")),
            Map.entry("cloudtrail-delete-serverless-cache.json", Set.of("IngestFunction.ApiCalls")),
            Map.entry("cloudtrail-test-failover.json", Set.of("IngestFunction.ApiCalls")),
            Map.entry("elasticache-serverless-cache-deleted.json", Set.of("IngestFunction.ServerlessEvents")),
            Map.entry("elasticache-serverless-cache-updated.json", Set.of("IngestFunction.ServerlessEvents")),
            Map.entry("elasticache-serverless-snapshot-created.json", Set.of("IngestFunction.ServerlessEvents")),
            Map.entry("elasticache-serverless-snapshot-creation-failed.json", Set.of("IngestFunction.ServerlessEvents")),
            // A schedule is not a pattern rule: it reaches IngestFunction.Sweep directly (IngestHandlerTest).
            Map.entry("schedule-ingest-sweep.json", Set.of()),
            Map.entry("sns-cache-node-replace-started-keyed.json", Set.of("IngestFunction.Notifications")),
            Map.entry("sns-delete-cache-cluster-complete-keyed.json", Set.of("IngestFunction.Notifications")),
            Map.entry("sns-failover-complete-keyed.json", Set.of("IngestFunction.Notifications")),
            Map.entry("sns-failover-complete-older-wording.json", Set.of("IngestFunction.Notifications")),
            Map.entry("sns-failover-complete-plain-text.json", Set.of("IngestFunction.Notifications")),
            Map.entry("sns-failover-complete-record.json", Set.of("IngestFunction.Notifications")),
            Map.entry("sns-snapshot-complete-keyed.json", Set.of("IngestFunction.Notifications")),
            Map.entry("sns-snapshot-failed-keyed.json", Set.of("IngestFunction.Notifications")),
            Map.entry("sns-snapshot-failed-record.json", Set.of("IngestFunction.Notifications")),
            Map.entry("sns-snapshot-succeeded-record.json", Set.of("IngestFunction.Notifications")),
            Map.entry("sns-test-failover-called-record.json", Set.of("IngestFunction.Notifications")),
            Map.entry("cachekeeper-failover-started.json", Set.of("FailoverObserverFunction.Failover")),
            Map.entry("cachekeeper-failover-completed.json", Set.of("FailoverObserverFunction.Failover")),
            Map.entry("cachekeeper-failover-completed-cluster-mode.json", Set.of("FailoverObserverFunction.Failover")),
            Map.entry("cachekeeper-snapshot-completed-automatic.json", Set.of("SnapshotArchiverFunction.SnapshotCompleted")),
            Map.entry("cachekeeper-snapshot-completed-node-only.json", Set.of("SnapshotArchiverFunction.SnapshotCompleted")),
            Map.entry("cachekeeper-snapshot-completed-serverless.json", Set.of("SnapshotArchiverFunction.SnapshotCompleted")),
            // A schedule rule has no event pattern: the sample is what it delivers, not something it matches.
            Map.entry("schedule-archiver-sweep.json", Set.of()),
            Map.entry("cachekeeper-request-destroy-snapshot-only.json", Set.of("SafeDestroyStateMachine.DestroyRequested")),
            Map.entry("cachekeeper-request-destroy-delete.json", Set.of("SafeDestroyStateMachine.DestroyRequested")),
            Map.entry("cachekeeper-request-destroy-cluster-mode-enabled.json",
                    Set.of("SafeDestroyStateMachine.DestroyRequested")),
            Map.entry("cachekeeper-request-destroy-serverless.json", Set.of("SafeDestroyStateMachine.DestroyRequested")),
            Map.entry("cachekeeper-cache-delete-called-no-final-snapshot.json", Set.of("DestroyAuditFunction.Deletes")),
            Map.entry("cachekeeper-cache-delete-called-final-snapshot.json", Set.of("DestroyAuditFunction.Deletes")),
            Map.entry("cachekeeper-cache-deleted.json", Set.of("DestroyAuditFunction.Deletes"))
    );

    static Path root;
    static SamTemplate template;

    @BeforeAll
    static void load() throws Exception {
        root = Path.of(System.getProperty("cachekeeper.root", "../..")).toRealPath();
        template = SamTemplate.load(root.resolve("template.yaml"));
    }

    private static void assertNoProblems(String what, List<String> problems) {
        assertTrue(problems.isEmpty(), what + ":\n  " + String.join("\n  ", problems));
    }

    @Test
    void isASamTemplate() {
        assertEquals("AWS::Serverless-2016-10-31", template.root().get("Transform"));
        assertEquals("2010-09-09", template.root().get("AWSTemplateFormatVersion"));
    }

    @Test
    void propertiesAndGlobalsAreDocumentedOnes() {
        assertNoProblems("properties not in the SAM/CloudFormation spec", SpecCheck.load().properties(template));
    }

    @Test
    void everyReferenceResolves() {
        assertNoProblems("dangling references", SpecCheck.load().references(template));
    }

    @Test
    void everyHandlerResolvesToACallableClass() {
        assertNoProblems("handlers", HandlerCheck.check(template, getClass().getClassLoader()));
    }

    @Test
    void everySampleEventReachesExactlyItsRules() throws Exception {
        assertNoProblems("event routing", EventRouting.check(template, root.resolve("events"), ROUTES));
    }

    @Test
    void everyScheduleExpressionIsValid() {
        assertNoProblems("schedules", ScheduleExpressions.check(template));
    }

    @Test
    void everyFunctionIsBuildableBySamBuild() throws Exception {
        assertNoProblems("sam build (Makefile)", BuildCheck.check(template, root));
    }

    @Test
    void functionsRunJava21OnArm64WithSnapStartBehindTheLiveAlias() {
        Map<String, Object> f = SamTemplate.asMap(template.globals().get("Function"));
        assertEquals("java21", f.get("Runtime"));
        assertEquals(List.of("arm64"), f.get("Architectures"));
        // One vCPU by default (docs/performance-lambda-*.md: cold starts at 1024 MB took about twice as long).
        assertEquals(Map.of("Ref", "FunctionMemorySize"), f.get("MemorySize"));
        assertEquals(1769, SamTemplate.asMap(template.parameters().get("FunctionMemorySize")).get("Default"));
        assertEquals(60, f.get("Timeout"));
        assertEquals("Active", f.get("Tracing"));
        assertEquals("live", f.get("AutoPublishAlias"));
        assertEquals("PublishedVersions", SamTemplate.asMap(f.get("SnapStart")).get("ApplyOn"));
        assertEquals("JSON", SamTemplate.asMap(f.get("LoggingConfig")).get("LogFormat"));
        // A function that overrides these loses SnapStart or JSON logs silently: hold every function to them.
        for (String id : template.idsOfType(SamTemplate.FUNCTION)) {
            Map<String, Object> p = template.effectiveProperties(id);
            assertEquals("java21", p.get("Runtime"), id);
            assertEquals("live", p.get("AutoPublishAlias"), id);
            assertEquals("PublishedVersions", SamTemplate.asMap(p.get("SnapStart")).get("ApplyOn"), id);
        }
    }

    /** The names functions/core reads; renaming one in the template would leave a function unconfigured. */
    @Test
    void sharedEnvironmentVariablesPointAtTheStackResources() {
        Map<String, Object> vars = SamTemplate.asMap(SamTemplate.asMap(
                SamTemplate.asMap(template.globals().get("Function")).get("Environment")).get("Variables"));
        Map<String, String> expectedRefs = Map.of(
                "CACHEKEEPER_BUS_NAME", "EventBus",
                "CACHEKEEPER_ALERT_TOPIC_ARN", "AlertTopic",
                "CACHEKEEPER_TABLE_NAME", "StateTable",
                "CACHEKEEPER_SELECTION_TAG_KEY", "SelectionTagKey",
                "CACHEKEEPER_SELECTION_TAG_VALUE", "SelectionTagValue",
                "CACHEKEEPER_PROTECT_ALL", "ProtectAllCaches",
                "CACHEKEEPER_DRY_RUN", "DryRun");
        expectedRefs.forEach((name, target) -> assertEquals(Map.of("Ref", target), vars.get(name), name));
        assertEquals("cachekeeper", vars.get("POWERTOOLS_METRICS_NAMESPACE"));
        assertTrue(String.valueOf(vars.get("JAVA_TOOL_OPTIONS")).contains("-XX:TieredStopAtLevel=1"));
        assertEquals("AWS::Events::EventBus", template.typeOf("EventBus"));
        assertEquals("AWS::SNS::Topic", template.typeOf("AlertTopic"));
        assertEquals("AWS::DynamoDB::Table", template.typeOf("StateTable"));
    }

    @Test
    void stateTableIsKeyedByPkWithTtlAndRecovery() {
        Map<String, Object> p = template.properties("StateTable");
        assertEquals("PAY_PER_REQUEST", p.get("BillingMode"));
        assertEquals(List.of(Map.of("AttributeName", "pk", "KeyType", "HASH")), p.get("KeySchema"));
        assertEquals(List.of(Map.of("AttributeName", "pk", "AttributeType", "S")), p.get("AttributeDefinitions"));
        assertEquals(Map.of("AttributeName", "ttl", "Enabled", true), p.get("TimeToLiveSpecification"));
        assertEquals(Map.of("PointInTimeRecoveryEnabled", true), p.get("PointInTimeRecoverySpecification"));
    }

    @Test
    void alertEmailSubscriptionOnlyWhenAnAddressIsGiven() {
        Map<String, Object> sub = template.resource("AlertEmailSubscription");
        assertEquals("HasAlertEmail", sub.get("Condition"));
        Intrinsics defaults = new Intrinsics(template);
        assertEquals(false, defaults.isTrue("HasAlertEmail"), "AlertEmail defaults to empty: no subscription");
    }

    @Test
    void alertTopicPolicyLetsInOnlyThisAccountsRulesAlarmsAndThisStacksRoles() {
        Map<String, Object> doc = SamTemplate.asMap(template.properties("AlertTopicPolicy").get("PolicyDocument"));
        List<?> statements = (List<?>) doc.get("Statement");
        for (Object s : statements) {
            Map<String, Object> st = SamTemplate.asMap(s);
            if (!"Allow".equals(st.get("Effect"))) {
                continue;
            }
            assertEquals("sns:Publish", st.get("Action"), "the policy grants nothing but publishing");
            Map<String, Object> principal = SamTemplate.asMap(st.get("Principal"));
            Map<String, Object> condition = SamTemplate.asMap(st.get("Condition"));
            if (principal.containsKey("Service")) {
                assertTrue(Set.of("events.amazonaws.com", "cloudwatch.amazonaws.com").contains(principal.get("Service")),
                        "only EventBridge rules and CloudWatch alarms may publish as a service: " + principal);
                assertEquals(Map.of("Ref", "AWS::AccountId"),
                        SamTemplate.asMap(condition.get("StringEquals")).get("aws:SourceAccount"),
                        principal + " must be pinned to this account with aws:SourceAccount");
            } else {
                assertTrue(SamTemplate.asMap(condition.get("ArnLike")).containsKey("aws:PrincipalArn"),
                        "a grant to " + principal + " must name the stack's role path");
            }
        }
    }

    /** Least privilege and failure containment (PolicyCheck): holds for every function, rule and queue added later. */
    @Test
    void leastPrivilegeAndFailureContainmentHold() {
        assertNoProblems("security and failure handling", PolicyCheck.check(template, "AlertTopic"));
    }

    /** The IAM name guards must match the names the code derives, or the deletes and tags fail (or widen). */
    @Test
    void iamNameAndTagGuardsMatchTheCode() {
        String archiverPolicies = String.valueOf(template.properties("SnapshotArchiverFunction").get("Policies"));
        assertTrue(archiverPolicies.contains(":snapshot:" + ArchiveRules.COPY_PREFIX + "*"), archiverPolicies);
        assertTrue(archiverPolicies.contains(":serverlesscachesnapshot:" + ArchiveRules.COPY_PREFIX + "*"));
        assertTrue(archiverPolicies.contains("aws:ResourceTag/" + ManagedTags.MANAGED + "=true"), archiverPolicies);

        String destroyPolicies = String.valueOf(template.properties("SafeDestroyFunction").get("Policies"));
        for (String purpose : List.of(SafeDestroyer.PURPOSE, SafeDestroyer.FINAL_PURPOSE)) {
            assertTrue(destroyPolicies.contains(":snapshot:" + SnapshotNames.PREFIX + purpose + "-*"), purpose);
        }

        String cleanupPolicies = String.valueOf(template.properties("RestoreCleanupFunction").get("Policies"));
        assertTrue(cleanupPolicies.contains("aws:ResourceTag/" + RestoreTags.EXECUTION), cleanupPolicies);
    }

    @Test
    void alertTopicIsEncryptedOnlyWithTheKeyTheOperatorChose() {
        Intrinsics defaults = new Intrinsics(template);
        assertEquals(false, defaults.isTrue("HasAlertTopicKmsKey"), "no key by default");
        assertEquals(null, defaults.resolve(template.properties("AlertTopic").get("KmsMasterKeyId")));
        assertEquals(null, template.properties("NotificationTopic").get("KmsMasterKeyId"));
    }

    @Test
    void outputsNameTheBusTopicAndTable() {
        // Functions and state machines may add outputs (e.g. SafeDestroyStateMachineArn); these four must stay.
        assertTrue(template.outputs().keySet().containsAll(
                Set.of("EventBusName", "EventBusArn", "AlertTopicArn", "StateTableName",
                        "NotificationTopicArn", "RestoreStateMachineArn", "SafeDestroyStateMachineArn")), "outputs: "
                + template.outputs().keySet());
    }
}
