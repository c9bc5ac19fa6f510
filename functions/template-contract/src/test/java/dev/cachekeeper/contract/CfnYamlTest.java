package dev.cachekeeper.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CfnYamlTest {

    private static Object value(String yamlValue) {
        return CfnYaml.parse("v: " + yamlValue).get("v");
    }

    @Test
    void everyShortFormBecomesItsLongForm() {
        assertEquals(Map.of("Ref", "Bus"), value("!Ref Bus"));
        assertEquals(Map.of("Condition", "IsProd"), value("!Condition IsProd"));
        assertEquals(Map.of("Fn::GetAtt", List.of("Bus", "Arn")), value("!GetAtt Bus.Arn"));
        assertEquals(Map.of("Fn::GetAtt", List.of("Fn", "SnapStartResponse.ApplyOn")),
                value("!GetAtt Fn.SnapStartResponse.ApplyOn"));
        assertEquals(Map.of("Fn::GetAtt", List.of("Bus", "Arn")), value("!GetAtt [Bus, Arn]"));
        assertEquals(Map.of("Fn::Sub", "a-${AWS::StackName}"), value("!Sub a-${AWS::StackName}"));
        assertEquals(Map.of("Fn::Sub", List.of("${x}", Map.of("x", Map.of("Ref", "P")))),
                value("!Sub ['${x}', {x: !Ref P}]"));
        assertEquals(Map.of("Fn::If", List.of("C", "a", Map.of("Ref", "AWS::NoValue"))),
                value("!If [C, a, !Ref AWS::NoValue]"));
        assertEquals(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "P"), "")))),
                value("!Not [!Equals [!Ref P, '']]"));
        assertEquals(Map.of("Fn::And", List.of(Map.of("Condition", "A"), Map.of("Condition", "B"))),
                value("!And [!Condition A, !Condition B]"));
        assertEquals(Map.of("Fn::Or", List.of(Map.of("Condition", "A"), Map.of("Condition", "B"))),
                value("!Or [!Condition A, !Condition B]"));
        assertEquals(Map.of("Fn::Select", List.of(0, Map.of("Fn::GetAZs", ""))), value("!Select [0, !GetAZs '']"));
        assertEquals(Map.of("Fn::Join", List.of("-", List.of("a", "b"))), value("!Join ['-', [a, b]]"));
        assertEquals(Map.of("Fn::Split", List.of(",", "a,b")), value("!Split [',', 'a,b']"));
        assertEquals(Map.of("Fn::FindInMap", List.of("M", "k", "v")), value("!FindInMap [M, k, v]"));
        assertEquals(Map.of("Fn::Base64", "x"), value("!Base64 x"));
        assertEquals(Map.of("Fn::Cidr", List.of("10.0.0.0/16", 4, 8)), value("!Cidr ['10.0.0.0/16', 4, 8]"));
        assertEquals(Map.of("Fn::ImportValue", "shared-bus"), value("!ImportValue shared-bus"));
        assertEquals(Map.of("Fn::GetAZs", Map.of("Ref", "AWS::Region")), value("!GetAZs {Ref: AWS::Region}"));
    }

    @Test
    void mappingFormOfATagIsKept() {
        assertEquals(Map.of("Fn::Sub", Map.of("k", "v")), value("!Sub {k: v}"));
    }

    @Test
    void datesStayStringsAsInCloudFormation() {
        assertEquals("2010-09-09", value("2010-09-09"));
    }

    @Test
    void duplicateKeysAreRejectedAsCloudFormationDoes() {
        assertThrows(RuntimeException.class, () -> CfnYaml.parse("a: 1\na: 2\n"));
    }

    @Test
    void aNonMappingDocumentIsNotATemplate() {
        assertThrows(IllegalArgumentException.class, () -> CfnYaml.parse("- a\n- b\n"));
    }
}
