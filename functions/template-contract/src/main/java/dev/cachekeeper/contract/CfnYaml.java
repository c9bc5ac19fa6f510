package dev.cachekeeper.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation/SAM template written in YAML. Every short-form intrinsic ({@code !Ref X},
 * {@code !GetAtt A.B}, {@code !Sub ...}) becomes its long JSON form ({@code {"Ref": "X"}},
 * {@code {"Fn::GetAtt": ["A", "B"]}}, {@code {"Fn::Sub": ...}}), which is what CloudFormation itself sees and
 * what the checks in this package walk.
 */
public final class CfnYaml {

    /** Short-form tag (without "!") to long-form key. */
    static final Map<String, String> SHORT_FORMS = Map.ofEntries(
            Map.entry("Ref", "Ref"),
            Map.entry("Condition", "Condition"),
            Map.entry("GetAtt", "Fn::GetAtt"),
            Map.entry("Sub", "Fn::Sub"),
            Map.entry("If", "Fn::If"),
            Map.entry("Equals", "Fn::Equals"),
            Map.entry("Not", "Fn::Not"),
            Map.entry("And", "Fn::And"),
            Map.entry("Or", "Fn::Or"),
            Map.entry("Select", "Fn::Select"),
            Map.entry("Join", "Fn::Join"),
            Map.entry("Split", "Fn::Split"),
            Map.entry("FindInMap", "Fn::FindInMap"),
            Map.entry("Base64", "Fn::Base64"),
            Map.entry("Cidr", "Fn::Cidr"),
            Map.entry("ImportValue", "Fn::ImportValue"),
            Map.entry("GetAZs", "Fn::GetAZs"),
            Map.entry("Transform", "Fn::Transform"),
            Map.entry("Length", "Fn::Length"),
            Map.entry("ToJsonString", "Fn::ToJsonString"));

    private CfnYaml() {
    }

    /** Parses one template; duplicate keys are an error, as they are for CloudFormation. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(10 * 1024 * 1024);
        Object doc = new Yaml(new CfnConstructor(options)).load(yaml);
        if (!(doc instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a template must be a YAML mapping, found " + doc);
        }
        return (Map<String, Object>) map;
    }

    /** The single key of an intrinsic-function map ({@code Ref}, {@code Fn::Sub}, ...), or null. */
    public static String intrinsicName(Object node) {
        if (node instanceof Map<?, ?> map && map.size() == 1) {
            Object key = map.keySet().iterator().next();
            if (key instanceof String s && (s.equals("Ref") || s.startsWith("Fn::") || s.equals("Condition"))) {
                return s;
            }
        }
        return null;
    }

    private static final class CfnConstructor extends SafeConstructor {
        CfnConstructor(LoaderOptions options) {
            super(options);
            // CloudFormation keeps 2010-09-09 a string; YAML 1.1 would make it a date.
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
            SHORT_FORMS.forEach((shortName, longName) -> yamlConstructors.put(new Tag("!" + shortName),
                    new IntrinsicConstruct(longName)));
        }

        private final class IntrinsicConstruct extends AbstractConstruct {
            private final String longName;

            IntrinsicConstruct(String longName) {
                this.longName = longName;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    value = longName.equals("Fn::GetAtt") ? splitGetAtt(text) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = new ArrayList<>(constructSequence(sequence));
                } else {
                    Map<Object, Object> map = constructMapping((MappingNode) node);
                    value = new LinkedHashMap<>(map);
                }
                Map<String, Object> intrinsic = new LinkedHashMap<>();
                intrinsic.put(longName, value);
                return intrinsic;
            }
        }
    }

    /** {@code !GetAtt Res.Attr.Sub} is {@code ["Res", "Attr.Sub"]}: the logical id never holds a dot. */
    private static List<String> splitGetAtt(String text) {
        int dot = text.indexOf('.');
        if (dot < 0) {
            return List.of(text);
        }
        return List.of(text.substring(0, dot), text.substring(dot + 1));
    }
}
