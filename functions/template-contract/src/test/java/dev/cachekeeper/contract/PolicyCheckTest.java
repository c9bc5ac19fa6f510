package dev.cachekeeper.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** PolicyCheck on small templates: each rule passes a compliant template and names the violation in a bad one. */
class PolicyCheckTest {

    /** A function that follows every rule; the tests below break one thing at a time. */
    static final String GOOD = """
            Globals:
              Function:
                EventInvokeConfig:
                  MaximumRetryAttempts: 2
                  DestinationConfig: {OnFailure: {Type: SQS, Destination: !GetAtt Failed.Arn}}
            Resources:
              Alerts: {Type: AWS::SNS::Topic, Properties: {}}
              Failed: {Type: AWS::SQS::Queue, Properties: {MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true}}
              FailedAlarm:
                Type: AWS::CloudWatch::Alarm
                Properties: {Namespace: AWS/SQS, MetricName: ApproximateNumberOfMessagesVisible,
                             Dimensions: [{Name: QueueName, Value: !GetAtt Failed.QueueName}],
                             ComparisonOperator: GreaterThanThreshold, Threshold: 0, AlarmActions: [!Ref Alerts]}
              F:
                Type: AWS::Serverless::Function
                Properties:
                  Policies:
                    - Statement:
                        - {Effect: Allow, Action: elasticache:DescribeSnapshots, Resource: '*'}
                        - Effect: Allow
                          Action: elasticache:DeleteSnapshot
                          Resource: !Sub arn:${AWS::Partition}:elasticache:${AWS::Region}:${AWS::AccountId}:snapshot:cachekeeper-*
                          Condition: {StringEquals: {aws:ResourceTag/cachekeeper:managed: 'true'}}
                    - SNSPublishMessagePolicy: {TopicName: !GetAtt Alerts.TopicName}
                  Events:
                    Nightly:
                      Type: Schedule
                      Properties:
                        Schedule: rate(1 day)
                        RetryPolicy: {MaximumRetryAttempts: 4}
                        DeadLetterConfig: {Arn: !GetAtt Failed.Arn}
              FErrors:
                Type: AWS::CloudWatch::Alarm
                Properties: {ComparisonOperator: GreaterThanThreshold, Namespace: AWS/Lambda, MetricName: Errors,
                             Dimensions: [{Name: FunctionName, Value: !Ref F}], Threshold: 0, AlarmActions: [!Ref Alerts]}
              FThrottles:
                Type: AWS::CloudWatch::Alarm
                Properties: {Namespace: AWS/Lambda, MetricName: Throttles, Dimensions: [{Name: FunctionName, Value: !Ref F}],
                             ComparisonOperator: GreaterThanThreshold, Threshold: 0, AlarmActions: [!Ref Alerts]}
            """;

    private static List<String> check(String yaml) {
        return PolicyCheck.check(SamTemplate.parse(yaml), "Alerts");
    }

    private static void assertOne(List<String> problems, String fragment) {
        assertEquals(1, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).contains(fragment), problems.get(0));
    }

    @Test
    void aCompliantTemplatePasses() {
        assertEquals(List.of(), check(GOOD));
    }

    @Test
    void aMutatingActionOnEveryResourceIsCaught() {
        assertOne(check(GOOD.replace("Action: elasticache:DescribeSnapshots, Resource: '*'",
                "Action: [elasticache:DescribeSnapshots, elasticache:CopySnapshot], Resource: '*'")),
                "elasticache:CopySnapshot changes things and is granted on Resource '*'");
    }

    @Test
    void aStarInAResourceListIsCaughtToo() {
        assertOne(check(GOOD.replace("Action: elasticache:DescribeSnapshots, Resource: '*'",
                "Action: sns:Publish, Resource: [!Ref Alerts, '*']")), "sns:Publish changes things");
    }

    @Test
    void aDeleteWithoutConditionIsCaught() {
        assertOne(check(GOOD.replace("Condition: {StringEquals: {aws:ResourceTag/cachekeeper:managed: 'true'}}",
                "Sid: Prune")), "F (Prune): elasticache:DeleteSnapshot without a Condition");
    }

    @Test
    void aDeleteHiddenInAnIfBranchIsStillChecked() {
        assertOne(check(GOOD.replace("- SNSPublishMessagePolicy: {TopicName: !GetAtt Alerts.TopicName}",
                "- !If\n"
                        + "          - SomeCondition\n"
                        + "          - Statement: [{Effect: Allow, Action: elasticache:DeleteReplicationGroup, Resource: !Ref Alerts}]\n"
                        + "          - !Ref AWS::NoValue")), "elasticache:DeleteReplicationGroup without a Condition");
    }

    @Test
    void wildcardActionsAndUnknownGrantsAreCaught() {
        assertOne(check(GOOD.replace("Action: elasticache:DescribeSnapshots, Resource: '*'",
                "Action: 'elasticache:*', Resource: !Ref Alerts")), "wildcard action elasticache:*");
        assertOne(check(GOOD.replace("SNSPublishMessagePolicy: {TopicName: !GetAtt Alerts.TopicName}",
                "AmazonElastiCacheFullAccess")), "uses managed policy AmazonElastiCacheFullAccess");
        assertOne(check(GOOD.replace("SNSPublishMessagePolicy: {TopicName: !GetAtt Alerts.TopicName}",
                "ElastiCacheFullAccessPolicy: {}")), "policy template ElastiCacheFullAccessPolicy");
    }

    @Test
    void aSharedRoleIsCaught() {
        assertOne(check(GOOD.replace("      Policies:\n", "      Role: arn:aws:iam::123456789012:role/shared\n      Policies:\n")),
                "F sets Role");
    }

    @Test
    void anEncryptedNotificationTopicIsCaught() {
        String topic = """
                  Notes: {Type: AWS::SNS::Topic, Properties: {KmsMasterKeyId: alias/aws/sns}}
                  NotesPolicy:
                    Type: AWS::SNS::TopicPolicy
                    Properties:
                      Topics: [!Ref Notes]
                      PolicyDocument:
                        Statement:
                          - {Effect: Allow, Principal: {Service: elasticache.amazonaws.com}, Action: sns:Publish,
                             Resource: !Ref Notes, Condition: {StringEquals: {aws:SourceOwner: !Ref AWS::AccountId}}}
                """;
        assertOne(check(GOOD + topic), "Notes is encrypted, but ElastiCache publishes to it");
        assertOne(check(GOOD + topic.replace("{KmsMasterKeyId: alias/aws/sns}", "{}").replace("SourceOwner", "SourceAccount")),
                "NotesPolicy: ElastiCache must be admitted with aws:SourceOwner");
    }

    @Test
    void aRuleWithoutRetryOrDeadLetterQueueIsCaught() {
        assertOne(check(GOOD.replace("            RetryPolicy: {MaximumRetryAttempts: 4}\n", "")),
                "F.Events.Nightly has no RetryPolicy");
        assertOne(check(GOOD.replace("            DeadLetterConfig: {Arn: !GetAtt Failed.Arn}\n", "")),
                "F.Events.Nightly has no DeadLetterConfig.Arn");
    }

    @Test
    void anSnsEventWithoutRedriveIsCaught() {
        assertOne(check(GOOD.replace("      Events:\n", """
                      Events:
                        Notes: {Type: SNS, Properties: {Topic: !Ref Alerts}}
                """)), "F.Events.Notes has no RedrivePolicy");
    }

    @Test
    void aFunctionWithoutOnFailureDestinationIsCaught() {
        assertOne(check(GOOD.replace("      DestinationConfig: {OnFailure: {Type: SQS, Destination: !GetAtt Failed.Arn}}\n", "")),
                "F has no EventInvokeConfig");
    }

    @Test
    void missingOrMisdirectedAlarmsAreCaught() {
        assertOne(check(GOOD.replace("MetricName: Throttles", "MetricName: Duration")), "F has no AWS/Lambda Throttles alarm");
        assertOne(check(GOOD.replace("ComparisonOperator: GreaterThanThreshold, Namespace: AWS/Lambda, MetricName: Errors",
                "ComparisonOperator: GreaterThanOrEqualToThreshold, Namespace: AWS/Lambda, MetricName: Errors")),
                "FErrors must fire on the first one");
        assertOne(check(GOOD + """
                  M: {Type: AWS::Serverless::StateMachine, Properties: {}}
                  MFailed:
                    Type: AWS::CloudWatch::Alarm
                    Properties: {Namespace: AWS/States, MetricName: ExecutionsFailed,
                                 Dimensions: [{Name: StateMachineArn, Value: !Ref M}],
                                 ComparisonOperator: GreaterThanThreshold, Threshold: 0, AlarmActions: []}
                  MTimedOut:
                    Type: AWS::CloudWatch::Alarm
                    Properties: {Namespace: AWS/States, MetricName: ExecutionsTimedOut,
                                 Dimensions: [{Name: StateMachineArn, Value: !Ref M}],
                                 ComparisonOperator: GreaterThanThreshold, Threshold: 0, AlarmActions: [!Ref Alerts]}
                """), "MFailed does not publish to Alerts");
    }

    @Test
    void aQueueWithShortRetentionOrWithoutEncryptionIsCaught() {
        assertOne(check(GOOD.replace("MessageRetentionPeriod: 1209600", "MessageRetentionPeriod: 345600")),
                "Failed keeps messages less than 14 days");
        assertOne(check(GOOD.replace(", SqsManagedSseEnabled: true", "")), "Failed is not encrypted");
    }

    @Test
    void anEncryptedAlertTopicNeedsItsKeyGivenToEveryPublisher() {
        String encrypted = GOOD.replace("Alerts: {Type: AWS::SNS::Topic, Properties: {}}",
                "Alerts: {Type: AWS::SNS::Topic, Properties: {KmsMasterKeyId: !If [HasKey, !Ref Key, !Ref AWS::NoValue]}}");
        assertOne(check(encrypted), "no AWS::IAM::ManagedPolicy grants kms:GenerateDataKey");
        String keyPolicy = """
                  KeyUse:
                    Type: AWS::IAM::ManagedPolicy
                    Properties:
                      Roles: [ROLES]
                      PolicyDocument:
                        Statement: [{Effect: Allow, Action: [kms:GenerateDataKey, kms:Decrypt], Resource: !Ref Key}]
                """;
        assertOne(check(encrypted + keyPolicy.replace("ROLES", "")), "does not give the alert topic's key to [FRole]");
        assertEquals(List.of(), check(encrypted + keyPolicy.replace("ROLES", "!Ref FRole")));
    }
}
