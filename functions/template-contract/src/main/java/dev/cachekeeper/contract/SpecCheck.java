package dev.cachekeeper.contract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for cfn-lint, which this build cannot install: property names against an allowlist built from the
 * SAM and CloudFormation documentation ({@code sam-spec-allowlist.yaml}), and every Ref, Fn::GetAtt,
 * Fn::Sub variable and condition name against what the template (and SAM's generated resources) defines.
 */
public final class SpecCheck {
    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}]*)}");

    private final Map<String, Object> allow;

    private SpecCheck(Map<String, Object> allow) {
        this.allow = allow;
    }

    /** The allowlist shipped with this module. */
    public static SpecCheck load() {
        try (InputStream in = SpecCheck.class.getResourceAsStream("sam-spec-allowlist.yaml")) {
            if (in == null) {
                throw new IllegalStateException("sam-spec-allowlist.yaml missing from the class path");
            }
            return new SpecCheck(CfnYaml.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> list(String key) {
        Object value = allow.get(key);
        return value instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    private Map<String, Object> map(String key) {
        return SamTemplate.asMap(allow.get(key));
    }

    /** Property, Globals, parameter, output and section names that the documentation does not list. */
    public List<String> properties(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        unknownKeys(template.root().keySet(), list("templateSections"), "template section", problems);

        Map<String, Object> globalsAllowed = map("globals");
        template.globals().forEach((section, body) -> {
            if (!globalsAllowed.containsKey(section)) {
                problems.add("Globals." + section + " is not a Globals section SAM supports " + globalsAllowed.keySet());
                return;
            }
            List<?> keys = (List<?>) globalsAllowed.get(section);
            SamTemplate.asMap(body).keySet().forEach(key -> {
                if (!keys.contains(key)) {
                    problems.add("Globals." + section + "." + key + " cannot be set in Globals (allowed: " + keys + ")");
                }
            });
        });

        template.parameters().forEach((name, body) -> {
            Map<String, Object> p = SamTemplate.asMap(body);
            unknownKeys(p.keySet(), list("parameterKeys"), "Parameters." + name + " key", problems);
            Object allowed = p.get("AllowedValues");
            if (allowed instanceof List<?> values && p.containsKey("Default")
                    && !values.stream().map(String::valueOf).toList().contains(String.valueOf(p.get("Default")))) {
                problems.add("Parameters." + name + ": Default " + p.get("Default") + " is not among its AllowedValues");
            }
        });
        template.outputs().forEach((name, body) -> unknownKeys(SamTemplate.asMap(body).keySet(), list("outputKeys"),
                "Outputs." + name + " key", problems));

        Map<String, Object> types = map("resourceTypes");
        Map<String, Object> eventTypes = map("samEventTypes");
        template.resources().forEach((id, body) -> {
            Map<String, Object> resource = SamTemplate.asMap(body);
            unknownKeys(resource.keySet(), list("resourceAttributes"), id + " attribute", problems);
            String type = template.typeOf(id);
            if (type == null) {
                problems.add(id + " has no Type");
                return;
            }
            if (!types.containsKey(type)) {
                problems.add(id + ": type " + type + " is not in sam-spec-allowlist.yaml; add its documented"
                        + " properties there (from the CloudFormation/SAM reference page)");
                return;
            }
            List<?> allowed = (List<?>) SamTemplate.asMap(types.get(type)).get("properties");
            Map<String, Object> props = template.properties(id);
            props.keySet().forEach(key -> {
                if (!allowed.contains(key)) {
                    problems.add(id + " (" + type + ") has no property " + key + nearest(key, allowed));
                }
            });
            if (type.equals(SamTemplate.FUNCTION) || type.equals(SamTemplate.STATE_MACHINE)) {
                SamTemplate.asMap(props.get("Events")).forEach((eventName, event) -> {
                    Map<String, Object> e = SamTemplate.asMap(event);
                    Object eventType = e.get("Type");
                    if (!eventTypes.containsKey(String.valueOf(eventType))) {
                        problems.add(id + ".Events." + eventName + ": event Type " + eventType
                                + " is not in sam-spec-allowlist.yaml samEventTypes");
                        return;
                    }
                    unknownKeys(e.keySet(), List.of("Type", "Properties"), id + ".Events." + eventName + " key",
                            problems);
                    List<?> eventProps = (List<?>) eventTypes.get(String.valueOf(eventType));
                    SamTemplate.asMap(e.get("Properties")).keySet().forEach(key -> {
                        if (!eventProps.contains(key)) {
                            problems.add(id + ".Events." + eventName + " (" + eventType + ") has no property " + key
                                    + nearest(key, eventProps));
                        }
                    });
                });
            }
        });
        return problems;
    }

    private static void unknownKeys(Set<String> keys, List<String> allowed, String what, List<String> problems) {
        for (String key : keys) {
            if (!allowed.contains(key)) {
                problems.add("unknown " + what + " " + key + nearest(key, allowed));
            }
        }
    }

    private static String nearest(String key, List<?> allowed) {
        for (Object a : allowed) {
            if (String.valueOf(a).equalsIgnoreCase(key)) {
                return " (did you mean " + a + "?)";
            }
        }
        return "";
    }

    /**
     * Names SAM generates from its own resources, usable in Ref/GetAtt/Sub: {@code F.Alias}, {@code F.Version},
     * {@code FRole}, one resource per event ({@code F<Event>}), and so on. Value: the generated type, or null.
     */
    public static Map<String, String> generatedNames(SamTemplate template) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String id : template.idsOfType(SamTemplate.FUNCTION)) {
            Map<String, Object> p = template.effectiveProperties(id);
            if (p.get("AutoPublishAlias") != null) {
                names.put(id + ".Alias", "AWS::Lambda::Alias");
                names.put(id + ".Version", "AWS::Lambda::Version");
            }
            if (p.get("Role") == null) {
                names.put(id + "Role", "AWS::IAM::Role");
            }
            if (p.get("EventInvokeConfig") != null) {
                names.put(id + "EventInvokeConfig", "AWS::Lambda::EventInvokeConfig");
            }
            SamTemplate.asMap(p.get("Events")).forEach((eventName, event) -> {
                String eventType = String.valueOf(SamTemplate.asMap(event).get("Type"));
                switch (eventType) {
                    case "EventBridgeRule", "CloudWatchEvent", "Schedule" -> {
                        names.put(id + eventName, "AWS::Events::Rule");
                        names.put(id + eventName + "Permission", "AWS::Lambda::Permission");
                    }
                    case "ScheduleV2" -> names.put(id + eventName, "AWS::Scheduler::Schedule");
                    case "SNS" -> {
                        names.put(id + eventName, "AWS::SNS::Subscription");
                        names.put(id + eventName + "Permission", "AWS::Lambda::Permission");
                    }
                    case "SQS" -> names.put(id + eventName, "AWS::Lambda::EventSourceMapping");
                    default -> {
                    }
                }
            });
        }
        for (String id : template.idsOfType(SamTemplate.STATE_MACHINE)) {
            Map<String, Object> p = template.effectiveProperties(id);
            if (p.get("Role") == null) {
                names.put(id + "Role", "AWS::IAM::Role");
            }
            if (p.get("AutoPublishAlias") != null) {
                names.put(id + ".Alias", "AWS::StepFunctions::StateMachineAlias");
                names.put(id + ".Version", "AWS::StepFunctions::StateMachineVersion");
            }
            SamTemplate.asMap(p.get("Events")).forEach((eventName, event) -> {
                String eventType = String.valueOf(SamTemplate.asMap(event).get("Type"));
                if (Set.of("EventBridgeRule", "CloudWatchEvent", "Schedule").contains(eventType)) {
                    names.put(id + eventName, "AWS::Events::Rule");
                    names.put(id + eventName + "Role", "AWS::IAM::Role");
                }
            });
        }
        return names;
    }

    /** Every Ref, Fn::GetAtt, Fn::Sub variable, condition and DependsOn names something that exists. */
    public List<String> references(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        Set<String> pseudo = new LinkedHashSet<>(list("pseudoParameters"));
        Map<String, String> generated = generatedNames(template);
        Set<String> conditions = template.conditions().keySet();
        Map<String, Object> types = map("resourceTypes");

        BiConsumer<String, String> checkRef = (where, name) -> {
            if (!pseudo.contains(name) && !template.parameters().containsKey(name)
                    && !template.resources().containsKey(name) && !generated.containsKey(name)) {
                problems.add(where + ": Ref to " + name + ", which is no parameter, resource, pseudo parameter or"
                        + " SAM-generated resource");
            }
        };
        BiConsumer<String, List<String>> checkGetAtt = (where, parts) -> {
            String id = parts.get(0);
            String attr = parts.size() > 1 ? parts.get(1) : "";
            String type = template.resources().containsKey(id) ? template.typeOf(id) : generated.get(id);
            if (type == null && !template.resources().containsKey(id)) {
                problems.add(where + ": Fn::GetAtt on " + id + ", which is no resource");
                return;
            }
            Object attrs = SamTemplate.asMap(types.get(type)).get("attributes");
            if (attrs instanceof List<?> list && !list.isEmpty() && !list.contains(attr)) {
                problems.add(where + ": Fn::GetAtt " + id + "." + attr + ": " + type + " has no attribute " + attr
                        + " (documented: " + list + ")");
            }
        };

        walk(template.root(), "", (where, node) -> {
            String fn = CfnYaml.intrinsicName(node);
            Object arg = fn == null ? null : ((Map<?, ?>) node).get(fn);
            if ("Ref".equals(fn)) {
                checkRef.accept(where, String.valueOf(arg));
            } else if ("Fn::GetAtt".equals(fn)) {
                List<String> parts = arg instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                        : List.of(String.valueOf(arg).split("\\.", 2));
                checkGetAtt.accept(where, parts);
            } else if ("Fn::Sub".equals(fn)) {
                String text = arg instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(arg);
                Map<?, ?> vars = arg instanceof List<?> l && l.size() > 1 ? SamTemplate.asMap(l.get(1)) : Map.of();
                Matcher m = SUB_VAR.matcher(text);
                while (m.find()) {
                    String name = m.group(1);
                    if (name.startsWith("!") || vars.containsKey(name)) {
                        continue;
                    }
                    if (name.contains(".") && !generated.containsKey(name)) {
                        checkGetAtt.accept(where, List.of(name.split("\\.", 2)));
                    } else {
                        checkRef.accept(where, name);
                    }
                }
            } else if ("Fn::If".equals(fn) && arg instanceof List<?> l && !l.isEmpty()
                    && !conditions.contains(String.valueOf(l.get(0)))) {
                problems.add(where + ": Fn::If on unknown condition " + l.get(0));
            } else if ("Condition".equals(fn) && !conditions.contains(String.valueOf(arg))) {
                problems.add(where + ": Condition " + arg + " is not defined under Conditions");
            }
        });

        template.resources().forEach((id, body) -> {
            Map<String, Object> resource = SamTemplate.asMap(body);
            Object condition = resource.get("Condition");
            if (condition != null && !conditions.contains(String.valueOf(condition))) {
                problems.add(id + ": Condition " + condition + " is not defined under Conditions");
            }
            Object dependsOn = resource.get("DependsOn");
            List<?> targets = dependsOn instanceof List<?> l ? l : dependsOn == null ? List.of() : List.of(dependsOn);
            for (Object target : targets) {
                if (!template.resources().containsKey(String.valueOf(target))
                        && !generated.containsKey(String.valueOf(target))) {
                    problems.add(id + ": DependsOn " + target + ", which is no resource");
                }
            }
        });
        template.outputs().forEach((name, body) -> {
            Object condition = SamTemplate.asMap(body).get("Condition");
            if (condition != null && !conditions.contains(String.valueOf(condition))) {
                problems.add("Outputs." + name + ": Condition " + condition + " is not defined under Conditions");
            }
        });
        return problems;
    }

    private static void walk(Object node, String path, BiConsumer<String, Object> visitor) {
        visitor.accept(path, node);
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path.isEmpty() ? String.valueOf(k) : path + "." + k, visitor));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", visitor);
            }
        }
    }
}
