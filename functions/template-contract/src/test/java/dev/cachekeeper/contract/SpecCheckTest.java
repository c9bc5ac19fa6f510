package dev.cachekeeper.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpecCheckTest {
    final SpecCheck spec = SpecCheck.load();

    private static void assertOne(List<String> problems, String expectedFragment) {
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(expectedFragment), problems.get(0));
    }

    @Test
    void aMisspeltPropertyIsCaught() {
        assertOne(spec.properties(SamTemplate.parse("""
                Resources:
                  T: {Type: AWS::DynamoDB::Table, Properties: {KeySchema: [], BillingMode: PAY_PER_REQUEST, TimeToLive: {}}}
                """)), "T (AWS::DynamoDB::Table) has no property TimeToLive");
    }

    @Test
    void caseMistakesGetAHint() {
        assertOne(spec.properties(SamTemplate.parse("""
                Resources:
                  F: {Type: AWS::Serverless::Function, Properties: {Memorysize: 512}}
                """)), "did you mean MemorySize?");
    }

    @Test
    void globalsAcceptOnlyWhatSamMerges() {
        assertOne(spec.properties(SamTemplate.parse("""
                Globals:
                  Function: {Runtime: java21, Events: {}}
                Resources: {}
                """)), "Globals.Function.Events cannot be set in Globals");
        assertOne(spec.properties(SamTemplate.parse("""
                Globals:
                  Table: {}
                Resources: {}
                """)), "Globals.Table is not a Globals section");
    }

    @Test
    void anUnlistedResourceTypeAsksForTheAllowlistToGrow() {
        assertOne(spec.properties(SamTemplate.parse("""
                Resources:
                  K: {Type: AWS::KMS::Key, Properties: {}}
                """)), "type AWS::KMS::Key is not in sam-spec-allowlist.yaml");
    }

    @Test
    void samEventPropertiesAreChecked() {
        assertOne(spec.properties(SamTemplate.parse("""
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        E: {Type: EventBridgeRule, Properties: {EventPattern: {source: [x]}}}
                """)), "F.Events.E (EventBridgeRule) has no property EventPattern");
    }

    @Test
    void parameterDefaultMustBeAllowed() {
        assertOne(spec.properties(SamTemplate.parse("""
                Parameters:
                  DryRun: {Type: String, Default: 'yes', AllowedValues: ['false', 'true']}
                Resources: {}
                """)), "Default yes is not among its AllowedValues");
    }

    @Test
    void danglingReferencesAreCaught() {
        List<String> problems = spec.references(SamTemplate.parse("""
                Conditions:
                  IsOn: !Equals [!Ref Missing, x]
                Resources:
                  Bus: {Type: AWS::Events::EventBus, Properties: {Name: !Sub '${AWS::StackName}-${Nope}'}}
                  Q: {Type: AWS::SQS::Queue, Condition: IsOff, DependsOn: [Ghost], Properties: {QueueName: !GetAtt Bus.Url}}
                  R: {Type: AWS::SQS::Queue, Properties: {QueueName: !If [Maybe, a, b]}}
                Outputs:
                  O: {Value: !GetAtt Nothing.Arn}
                """));
        assertEquals(7, problems.size(), String.join("\n", problems));
        String all = String.join("\n", problems);
        assertTrue(all.contains("Ref to Missing"), all);
        assertTrue(all.contains("Ref to Nope"), all);
        assertTrue(all.contains("Bus has no attribute Url"), all);
        assertTrue(all.contains("Fn::GetAtt on Nothing"), all);
        assertTrue(all.contains("unknown condition Maybe"), all);
        assertTrue(all.contains("Q: Condition IsOff is not defined"), all);
        assertTrue(all.contains("DependsOn Ghost"), all);
    }

    @Test
    void samGeneratedNamesAndPseudoParametersResolve() {
        List<String> problems = spec.references(SamTemplate.parse("""
                Parameters:
                  P: {Type: String, Default: x}
                Globals:
                  Function: {AutoPublishAlias: live}
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        Nightly: {Type: Schedule, Properties: {Schedule: rate(1 day)}}
                  Uses:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: !Sub '${AWS::StackName}-${P}-${F.Alias}-${!Literal}-${X}'
                      Tags:
                        - {Key: a, Value: !Ref F.Alias}
                        - {Key: b, Value: !GetAtt FRole.Arn}
                        - {Key: c, Value: !GetAtt FNightly.Arn}
                        - {Key: d, Value: !Ref AWS::Region}
                        - {Key: e, Value: !Sub ['${X}', {X: !GetAtt F.Arn}]}
                """));
        assertEquals(List.of("Resources.Uses.Properties.QueueName: Ref to X, which is no parameter, resource,"
                + " pseudo parameter or SAM-generated resource"), problems);
    }
}
