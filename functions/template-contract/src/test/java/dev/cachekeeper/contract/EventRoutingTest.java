package dev.cachekeeper.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The routing checker itself: it must pass a correct table and fail, with a useful message, on every mismatch. */
class EventRoutingTest {

    static final String TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Source: {Type: String, Default: cachekeeper}
            Resources:
              Bus:
                Type: AWS::Events::EventBus
                Properties: {Name: !Sub 'ck-${AWS::StackName}'}
              ObserverFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Events:
                    Failover:
                      Type: EventBridgeRule
                      Properties:
                        EventBusName: !Ref Bus
                        Pattern:
                          source: [!Ref Source]
                          detail-type: [Failover Completed]
                    Nightly:
                      Type: Schedule
                      Properties: {Schedule: rate(1 day)}
              GuardFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Events:
                    Deletes:
                      Type: EventBridgeRule
                      Properties:
                        Pattern:
                          source: [aws.elasticache]
                          detail-type: [AWS API Call via CloudTrail]
                          detail:
                            eventName: [{prefix: Delete}]
                    Notifications:
                      Type: SNS
                      Properties:
                        Topic: arn:aws:sns:us-east-1:123456789012:elasticache
                        FilterPolicyScope: MessageBody
                        FilterPolicy:
                          ElastiCache:FailoverComplete: [{exists: true}]
              Everything:
                Type: AWS::Events::Rule
                Properties:
                  EventBusName: !GetAtt Bus.Name
                  EventPattern: {source: [cachekeeper]}
                  Targets: [{Id: log, Arn: arn:aws:logs:us-east-1:123456789012:log-group:x}]
              PeopleSubscription:
                Type: AWS::SNS::Subscription
                Properties: {TopicArn: arn:aws:sns:us-east-1:123456789012:elasticache, Protocol: email, Endpoint: a@b.c}
            """;

    @TempDir
    Path events;
    SamTemplate template;
    Map<String, Set<String>> correct;

    @BeforeEach
    void samples() throws IOException {
        template = SamTemplate.parse(TEMPLATE);
        write("eventbridge/failover.json", """
                {"version":"0","id":"1","source":"cachekeeper","detail-type":"Failover Completed","account":"123456789012",
                 "time":"2025-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{"cacheId":"my-rg"}}""");
        write("eventbridge/delete.json", """
                {"version":"0","id":"2","source":"aws.elasticache","detail-type":"AWS API Call via CloudTrail",
                 "account":"123456789012","time":"2025-01-01T00:00:00Z","region":"us-east-1","resources":[],
                 "detail":{"eventSource":"elasticache.amazonaws.com","eventName":"DeleteReplicationGroup"}}""");
        write("sns/failover.json", sns("{\\\"ElastiCache:FailoverComplete\\\": \\\"my-rg\\\"}"));
        write("sns/snapshot.json", sns("{\\\"ElastiCache:SnapshotComplete\\\": \\\"my-rg-0001-001\\\"}"));
        write("stepfunctions/restore-input.json", "{\"snapshotName\":\"x\"}");
        correct = new HashMap<>(Map.of(
                "eventbridge/failover.json", Set.of("ObserverFunction.Failover", "Everything"),
                "eventbridge/delete.json", Set.of("GuardFunction.Deletes"),
                "sns/failover.json", Set.of("GuardFunction.Notifications"),
                "sns/snapshot.json", Set.of()));
    }

    private static String sns(String message) {
        return "{\"Records\":[{\"EventSource\":\"aws:sns\",\"Sns\":{\"Type\":\"Notification\",\"TopicArn\":"
                + "\"arn:aws:sns:us-east-1:123456789012:elasticache\",\"Message\":\"" + message + "\"}}]}";
    }

    private void write(String name, String json) throws IOException {
        Path file = events.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
    }

    @Test
    void aCorrectTablePasses() throws IOException {
        assertEquals(List.of(), EventRouting.check(template, events, correct));
    }

    @Test
    void aSampleMissingFromTheTableFailsAndSaysWhatToAdd() throws IOException {
        correct.remove("eventbridge/delete.json");
        List<String> problems = EventRouting.check(template, events, correct);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("events/eventbridge/delete.json"), problems.get(0));
        assertTrue(problems.get(0).contains("not in the routing table"), problems.get(0));
        assertTrue(problems.get(0).contains("Map.entry(\"eventbridge/delete.json\", Set.of(\"GuardFunction.Deletes\"))"),
                problems.get(0));
    }

    @Test
    void aSampleReachingMoreOrFewerRulesThanListedFails() throws IOException {
        correct.put("eventbridge/failover.json", Set.of("ObserverFunction.Failover", "GuardFunction.Deletes"));
        List<String> problems = EventRouting.check(template, events, correct);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("missing [GuardFunction.Deletes]"), problems.get(0));
        assertTrue(problems.get(0).contains("unexpected [Everything]"), problems.get(0));
    }

    @Test
    void snsFilterPolicyDecidesWhichNotificationsReachTheFunction() throws IOException {
        correct.put("sns/snapshot.json", Set.of("GuardFunction.Notifications"));
        List<String> problems = EventRouting.check(template, events, correct);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("events/sns/snapshot.json should reach"), problems.get(0));
    }

    @Test
    void aTableEntryWithoutASampleFails() throws IOException {
        correct.put("eventbridge/gone.json", Set.of());
        assertEquals(List.of("routing table lists events/eventbridge/gone.json, which does not exist"),
                EventRouting.check(template, events, correct));
    }

    @Test
    void aTableEntryForAFileThatIsNoEventFails() throws IOException {
        correct.put("stepfunctions/restore-input.json", Set.of());
        List<String> problems = EventRouting.check(template, events, correct);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("neither an EventBridge event"), problems.get(0));
    }

    @Test
    void aRuleOnTheDefaultBusDoesNotSeeProjectEvents() throws IOException {
        SamTemplate onDefaultBus = SamTemplate.parse(TEMPLATE.replaceAll(" +EventBusName: !Ref Bus\n", ""));
        List<String> problems = EventRouting.check(onDefaultBus, events, correct);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("missing [ObserverFunction.Failover]"), problems.get(0));
        assertTrue(problems.get(0).contains("listen on another bus than custom: [ObserverFunction.Failover]"),
                problems.get(0));
    }

    @Test
    void aPatternThatDoesNotCompileIsReported() throws IOException {
        SamTemplate broken = SamTemplate.parse(TEMPLATE.replace("source: [aws.elasticache]", "source: aws.elasticache"));
        List<String> problems = EventRouting.check(broken, events, correct);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("rule GuardFunction.Deletes: its pattern does not"
                + " compile")), problems.toString());
    }

    @Test
    void emptyEventsFolderAndTablePass() throws IOException {
        assertEquals(List.of(), EventRouting.check(template, events.resolve("none"), Map.of()));
    }

    @Test
    void patternsAreResolvedWithParameterDefaults() {
        EventRouting.Rule failover = EventRouting.rules(template).stream()
                .filter(r -> r.id().equals("ObserverFunction.Failover")).findFirst().orElseThrow();
        assertEquals("{\"source\":[\"cachekeeper\"],\"detail-type\":[\"Failover Completed\"]}", failover.pattern());
        assertEquals("Bus", failover.bus());
    }
}
