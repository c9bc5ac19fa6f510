package dev.cachekeeper.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates intrinsic functions the way CloudFormation would for a stack deployed with every parameter at its
 * default, so that a rule pattern written with {@code !Sub} or {@code !If} can be compiled and matched offline.
 * A Ref to a resource evaluates to its logical id (a stand-in for the physical name); Fn::GetAtt to
 * "LogicalId.Attribute". Anything that cannot be known offline (Fn::ImportValue, Fn::GetAZs, ...) throws.
 */
public final class Intrinsics {
    /** Values of the pseudo parameters in the offline stack. */
    public static final Map<String, Object> PSEUDO = Map.of(
            "AWS::AccountId", "123456789012",
            "AWS::Region", "us-east-1",
            "AWS::Partition", "aws",
            "AWS::StackName", "cachekeeper",
            "AWS::StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/cachekeeper/00000000-0000-0000-0000-000000000000",
            "AWS::URLSuffix", "amazonaws.com",
            "AWS::NotificationARNs", List.of());

    /** Marks a value removed by {@code !Ref AWS::NoValue}. */
    private static final Object NO_VALUE = new Object();
    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}]*)}");

    /**
     * The physical side of a stack, for evaluating a template as deployed somewhere (the local runner's simulated
     * account) instead of with stand-in names.
     */
    public interface Stack {
        /** What {@code Ref} to this resource gives ({@code logicalId} may carry a suffix such as {@code .Alias}). */
        Object ref(String logicalId);

        /** What {@code Fn::GetAtt [logicalId, attribute]} gives. */
        Object getAtt(String logicalId, String attribute);
    }

    private final SamTemplate template;
    private final Map<String, Object> pseudo;
    private final Map<String, String> parameterValues;
    private final Stack stack;

    public Intrinsics(SamTemplate template) {
        this(template, PSEUDO, Map.of(), null);
    }

    /**
     * Evaluation for a stack deployed with these pseudo parameters, parameter values (others at their Default) and
     * resources; {@code stack} null keeps the stand-ins (a Ref to a resource is its logical id).
     */
    public Intrinsics(SamTemplate template, Map<String, Object> pseudo, Map<String, String> parameterValues,
                      Stack stack) {
        this.template = template;
        this.pseudo = pseudo;
        this.parameterValues = parameterValues;
        this.stack = stack;
    }

    /** The plain value of a node; maps and lists are resolved deeply. */
    public Object resolve(Object node) {
        Object out = eval(node);
        if (out == NO_VALUE) {
            return null;
        }
        return out;
    }

    private Object eval(Object node) {
        String fn = CfnYaml.intrinsicName(node);
        if (fn != null) {
            Object arg = ((Map<?, ?>) node).get(fn);
            return switch (fn) {
                case "Ref" -> ref(String.valueOf(arg));
                case "Fn::GetAtt" -> getAtt(arg);
                case "Fn::Sub" -> sub(arg);
                case "Fn::Join" -> join(arg);
                case "Fn::If" -> ifFn(arg);
                case "Fn::Select" -> select(arg);
                case "Fn::Split" -> split(arg);
                case "Fn::FindInMap" -> findInMap(arg);
                case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition" -> condition(node);
                case "Fn::ToJsonString" -> toJson(eval(arg));
                default -> throw new IllegalArgumentException(fn + " cannot be evaluated offline: " + node);
            };
        }
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object value = eval(v);
                if (value != NO_VALUE) {
                    out.put(k, value);
                }
            });
            return out;
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                Object value = eval(item);
                if (value != NO_VALUE) {
                    out.add(value);
                }
            }
            return out;
        }
        return node;
    }

    private Object ref(String name) {
        if (name.equals("AWS::NoValue")) {
            return NO_VALUE;
        }
        if (pseudo.containsKey(name)) {
            return pseudo.get(name);
        }
        Map<String, Object> parameter = SamTemplate.asMap(template.parameters().get(name));
        if (template.parameters().containsKey(name)) {
            Object value = parameterValues.containsKey(name) ? parameterValues.get(name) : parameter.get("Default");
            if (value == null) {
                throw new IllegalArgumentException("parameter " + name + " has no Default to evaluate offline");
            }
            String text = value instanceof String ? (String) value : String.valueOf(value);
            String type = String.valueOf(parameter.get("Type"));
            if (type.equals("CommaDelimitedList") || type.startsWith("List<")) {
                // Ref to a list parameter is a list (an empty string is an empty list)
                return text.isEmpty() ? List.of() : List.of(text.split(",", -1));
            }
            return text;
        }
        if (template.resources().containsKey(name) || name.contains(".")) {
            return stack == null ? name : stack.ref(name);
        }
        throw new IllegalArgumentException("Ref to unknown name " + name);
    }

    private Object getAtt(Object arg) {
        List<?> parts = arg instanceof List<?> l ? l : List.of(String.valueOf(arg).split("\\.", 2));
        if (stack != null) {
            return stack.getAtt(String.valueOf(eval(parts.get(0))), String.valueOf(eval(parts.get(1))));
        }
        return eval(parts.get(0)) + "." + eval(parts.get(1));
    }

    private Object sub(Object arg) {
        String text;
        Map<?, ?> vars = Map.of();
        if (arg instanceof List<?> l) {
            text = String.valueOf(l.get(0));
            vars = l.size() > 1 ? (Map<?, ?>) l.get(1) : Map.of();
        } else {
            text = String.valueOf(arg);
        }
        Matcher m = SUB_VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (name.startsWith("!")) {
                replacement = "${" + name.substring(1) + "}";
            } else if (vars.containsKey(name)) {
                replacement = String.valueOf(eval(vars.get(name)));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                replacement = stack == null ? name : String.valueOf(getAtt(name));
            } else {
                replacement = String.valueOf(ref(name));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Object join(Object arg) {
        List<?> l = (List<?>) arg;
        String delimiter = String.valueOf(l.get(0));
        List<String> items = new ArrayList<>();
        for (Object item : (List<?>) eval(l.get(1))) {
            items.add(String.valueOf(item));
        }
        return String.join(delimiter, items);
    }

    private Object ifFn(Object arg) {
        List<?> l = (List<?>) arg;
        return isTrue(String.valueOf(l.get(0))) ? eval(l.get(1)) : eval(l.get(2));
    }

    private Object select(Object arg) {
        List<?> l = (List<?>) arg;
        int index = Integer.parseInt(String.valueOf(eval(l.get(0))));
        return ((List<?>) eval(l.get(1))).get(index);
    }

    private Object split(Object arg) {
        List<?> l = (List<?>) arg;
        String delimiter = String.valueOf(l.get(0));
        return List.of(String.valueOf(eval(l.get(1))).split(Pattern.quote(delimiter), -1));
    }

    private Object findInMap(Object arg) {
        List<?> l = (List<?>) arg;
        Map<String, Object> top = SamTemplate.asMap(template.mappings().get(String.valueOf(eval(l.get(0)))));
        Map<String, Object> second = SamTemplate.asMap(top.get(String.valueOf(eval(l.get(1)))));
        Object value = second.get(String.valueOf(eval(l.get(2))));
        if (value == null) {
            throw new IllegalArgumentException("Fn::FindInMap finds nothing for " + l);
        }
        return eval(value);
    }

    /** Evaluates a named condition from the Conditions section with parameters at their defaults. */
    public boolean isTrue(String conditionName) {
        Object body = template.conditions().get(conditionName);
        if (body == null) {
            throw new IllegalArgumentException("unknown condition " + conditionName);
        }
        return (Boolean) condition(body);
    }

    private Object condition(Object node) {
        String fn = CfnYaml.intrinsicName(node);
        Object arg = ((Map<?, ?>) node).get(fn);
        return switch (fn) {
            case "Condition" -> isTrue(String.valueOf(arg));
            case "Fn::Equals" -> {
                List<?> l = (List<?>) arg;
                yield String.valueOf(eval(l.get(0))).equals(String.valueOf(eval(l.get(1))));
            }
            case "Fn::Not" -> !(Boolean) condition(((List<?>) arg).get(0));
            case "Fn::And" -> ((List<?>) arg).stream().allMatch(c -> (Boolean) condition(c));
            case "Fn::Or" -> ((List<?>) arg).stream().anyMatch(c -> (Boolean) condition(c));
            default -> throw new IllegalArgumentException("not a condition: " + node);
        };
    }

    private static String toJson(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
