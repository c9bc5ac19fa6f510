package dev.cachekeeper.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import software.amazon.event.ruler.GenericMachine;
import software.amazon.event.ruler.RuleCompiler;

/**
 * Which rules of a template a sample event reaches, decided by AWS's own matcher (event-ruler), and the check
 * that every sample under {@code events/} reaches exactly the rules a routing table says it should.
 *
 * <p>Rule ids: {@code OwnerLogicalId.EventName} for the {@code Events} of a SAM function or state machine,
 * the logical id for an {@code AWS::Events::Rule} or {@code AWS::SNS::Subscription}.
 *
 * <p>Buses: a rule only sees events on its own bus. A sample whose {@code source} starts with {@code aws.} is
 * taken to arrive on the account's default bus (that is where AWS services and CloudTrail deliver); any other
 * source on the project's own bus. A rule without {@code EventBusName} listens on the default bus.
 */
public final class EventRouting {
    public static final String DEFAULT_BUS = "default";

    /** An event pattern and where it listens. {@code pattern} is JSON text, or null when {@code problem} says why. */
    public record Rule(String id, String bus, String pattern, String problem) {
    }

    /** A subscription that code (not a person) receives; {@code filterPolicy} null means everything. */
    public record SnsSubscription(String id, String filterPolicy, boolean bodyScope, String problem) {
    }

    private EventRouting() {
    }

    /** Every EventBridge pattern in the template, resolved with parameters at their defaults. */
    public static List<Rule> rules(SamTemplate template) {
        Intrinsics intrinsics = new Intrinsics(template);
        List<Rule> rules = new ArrayList<>();
        template.resources().forEach((id, body) -> {
            String type = template.typeOf(id);
            if (SamTemplate.FUNCTION.equals(type) || SamTemplate.STATE_MACHINE.equals(type)) {
                SamTemplate.asMap(template.properties(id).get("Events")).forEach((eventName, event) -> {
                    Map<String, Object> e = SamTemplate.asMap(event);
                    Object eventType = e.get("Type");
                    if ("EventBridgeRule".equals(eventType) || "CloudWatchEvent".equals(eventType)) {
                        Map<String, Object> p = SamTemplate.asMap(e.get("Properties"));
                        rules.add(rule(template, intrinsics, id + "." + eventName, p.get("Pattern"),
                                p.get("EventBusName")));
                    }
                });
            } else if ("AWS::Events::Rule".equals(type)) {
                Map<String, Object> p = template.properties(id);
                if (p.containsKey("EventPattern")) {
                    rules.add(rule(template, intrinsics, id, p.get("EventPattern"), p.get("EventBusName")));
                }
            }
        });
        return rules;
    }

    private static Rule rule(SamTemplate template, Intrinsics intrinsics, String id, Object rawPattern,
            Object rawBus) {
        String bus;
        try {
            bus = busOf(template, intrinsics, rawBus);
        } catch (RuntimeException e) {
            return new Rule(id, null, null, "its EventBusName cannot be evaluated: " + e.getMessage());
        }
        if (rawPattern == null) {
            return new Rule(id, bus, null, "it has no Pattern");
        }
        String json;
        try {
            Object resolved = intrinsics.resolve(rawPattern);
            json = resolved instanceof String s ? s : Json.MAPPER.writeValueAsString(resolved);
        } catch (Exception e) {
            return new Rule(id, bus, null, "its pattern cannot be evaluated: " + e.getMessage());
        }
        String error = RuleCompiler.check(json);
        if (error != null) {
            return new Rule(id, bus, null, "its pattern does not compile (" + error + "): " + json);
        }
        return new Rule(id, bus, json, null);
    }

    private static String busOf(SamTemplate template, Intrinsics intrinsics, Object rawBus) {
        if (rawBus == null) {
            return DEFAULT_BUS;
        }
        String fn = CfnYaml.intrinsicName(rawBus);
        Object arg = fn == null ? null : ((Map<?, ?>) rawBus).get(fn);
        if ("Ref".equals(fn) && template.resources().containsKey(String.valueOf(arg))) {
            return String.valueOf(arg);
        }
        if ("Fn::GetAtt".equals(fn)) {
            List<?> parts = arg instanceof List<?> l ? l : List.of(String.valueOf(arg).split("\\.", 2));
            return String.valueOf(parts.get(0));
        }
        String name = String.valueOf(intrinsics.resolve(rawBus));
        return name.equals(DEFAULT_BUS) || name.endsWith(":event-bus/default") ? DEFAULT_BUS : name;
    }

    /** Lambda/SQS/HTTP subscriptions to SNS topics (e-mail and SMS subscriptions are people, not routes). */
    public static List<SnsSubscription> snsSubscriptions(SamTemplate template) {
        Intrinsics intrinsics = new Intrinsics(template);
        List<SnsSubscription> subscriptions = new ArrayList<>();
        template.resources().forEach((id, body) -> {
            String type = template.typeOf(id);
            if (SamTemplate.FUNCTION.equals(type)) {
                SamTemplate.asMap(template.properties(id).get("Events")).forEach((eventName, event) -> {
                    Map<String, Object> e = SamTemplate.asMap(event);
                    if ("SNS".equals(e.get("Type"))) {
                        Map<String, Object> p = SamTemplate.asMap(e.get("Properties"));
                        subscriptions.add(subscription(intrinsics, id + "." + eventName, p));
                    }
                });
            } else if ("AWS::SNS::Subscription".equals(type)) {
                Map<String, Object> p = template.properties(id);
                Object protocol = intrinsics.resolve(p.get("Protocol"));
                if (!Set.of("email", "email-json", "sms").contains(String.valueOf(protocol))) {
                    subscriptions.add(subscription(intrinsics, id, p));
                }
            }
        });
        return subscriptions;
    }

    private static SnsSubscription subscription(Intrinsics intrinsics, String id, Map<String, Object> p) {
        boolean bodyScope = "MessageBody".equals(intrinsics.resolve(p.get("FilterPolicyScope")));
        if (p.get("FilterPolicy") == null) {
            return new SnsSubscription(id, null, bodyScope, null);
        }
        try {
            Object resolved = intrinsics.resolve(p.get("FilterPolicy"));
            String json = resolved instanceof String s ? s : Json.MAPPER.writeValueAsString(resolved);
            String error = RuleCompiler.check(json);
            return error == null ? new SnsSubscription(id, json, bodyScope, null)
                    : new SnsSubscription(id, null, bodyScope, "its FilterPolicy does not compile: " + error);
        } catch (Exception e) {
            return new SnsSubscription(id, null, bodyScope, "its FilterPolicy cannot be evaluated: " + e.getMessage());
        }
    }

    /** What a sample is, for routing purposes. */
    public enum Kind { EVENTBRIDGE, SNS, OTHER }

    public static Kind kindOf(JsonNode sample) {
        if (sample.isObject() && sample.has("detail-type")) {
            return Kind.EVENTBRIDGE;
        }
        JsonNode records = sample.path("Records");
        if (records.isArray() && !records.isEmpty() && records.get(0).has("Sns")) {
            return Kind.SNS;
        }
        return Kind.OTHER;
    }

    /** The bus an EventBridge sample arrives on (see the class comment). */
    public static String busOfSample(JsonNode sample) {
        return sample.path("source").asText("").startsWith("aws.") ? DEFAULT_BUS : "custom";
    }

    /** Ids of the valid rules whose pattern matches the event, on any bus. */
    public static Set<String> patternMatches(List<Rule> rules, String eventJson) {
        try {
            GenericMachine<String> machine = new GenericMachine<>();
            for (Rule rule : rules) {
                if (rule.pattern() != null) {
                    machine.addRule(rule.id(), rule.pattern());
                }
            }
            return new TreeSet<>(machine.rulesForJSONEvent(eventJson));
        } catch (Exception e) {
            throw new IllegalArgumentException("event-ruler rejected the event or a rule: " + e.getMessage(), e);
        }
    }

    /** Ids of the rules an EventBridge sample reaches: pattern matches and same bus. */
    public static Set<String> reached(List<Rule> rules, JsonNode sample) {
        Set<String> matches = patternMatches(rules, sample.toString());
        boolean onDefault = busOfSample(sample).equals(DEFAULT_BUS);
        Set<String> out = new TreeSet<>();
        for (Rule rule : rules) {
            if (matches.contains(rule.id()) && DEFAULT_BUS.equals(rule.bus()) == onDefault) {
                out.add(rule.id());
            }
        }
        return out;
    }

    /** Ids of the subscriptions an SNS sample (Records[].Sns) reaches. */
    public static Set<String> reachedSns(List<SnsSubscription> subscriptions, JsonNode sample) throws IOException {
        Set<String> out = new TreeSet<>();
        for (JsonNode record : sample.path("Records")) {
            JsonNode sns = record.path("Sns");
            for (SnsSubscription sub : subscriptions) {
                if (sub.problem() != null) {
                    continue;
                }
                if (sub.filterPolicy() == null || filterMatches(sub, sns)) {
                    out.add(sub.id());
                }
            }
        }
        return out;
    }

    private static boolean filterMatches(SnsSubscription sub, JsonNode sns) throws IOException {
        String subject;
        if (sub.bodyScope()) {
            try {
                subject = Json.MAPPER.readTree(sns.path("Message").asText()).toString();
            } catch (IOException notJson) {
                return false; // SNS does not deliver a non-JSON body to a body-scoped filter
            }
        } else {
            ObjectNode attributes = Json.MAPPER.createObjectNode();
            sns.path("MessageAttributes").properties().forEach(entry -> {
                JsonNode attr = entry.getValue();
                String value = attr.path("Value").asText();
                String type = attr.path("Type").asText();
                try {
                    if (type.equals("Number")) {
                        attributes.set(entry.getKey(), Json.MAPPER.readTree(value));
                    } else if (type.equals("String.Array")) {
                        attributes.set(entry.getKey(), Json.MAPPER.readTree(value));
                    } else {
                        attributes.put(entry.getKey(), value);
                    }
                } catch (IOException e) {
                    attributes.put(entry.getKey(), value);
                }
            });
            subject = attributes.toString();
        }
        try {
            GenericMachine<String> machine = new GenericMachine<>();
            machine.addRule(sub.id(), sub.filterPolicy());
            return !machine.rulesForJSONEvent(subject).isEmpty();
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /**
     * Checks every sample under {@code eventsDir} against the routing table (sample path relative to
     * {@code eventsDir}, with '/', to the set of rule ids it must reach). Returns one message per problem.
     */
    public static List<String> check(SamTemplate template, Path eventsDir, Map<String, Set<String>> routes)
            throws IOException {
        List<String> problems = new ArrayList<>();
        List<Rule> rules = rules(template);
        List<SnsSubscription> subscriptions = snsSubscriptions(template);
        rules.stream().filter(r -> r.problem() != null)
                .forEach(r -> problems.add("rule " + r.id() + ": " + r.problem()));
        subscriptions.stream().filter(s -> s.problem() != null)
                .forEach(s -> problems.add("subscription " + s.id() + ": " + s.problem()));

        Map<String, Path> samples = new TreeMap<>();
        if (Files.isDirectory(eventsDir)) {
            try (Stream<Path> files = Files.walk(eventsDir)) {
                files.filter(f -> f.toString().endsWith(".json") && Files.isRegularFile(f))
                        .forEach(f -> samples.put(eventsDir.relativize(f).toString().replace('\\', '/'), f));
            }
        }
        for (Map.Entry<String, Path> entry : samples.entrySet()) {
            String name = entry.getKey();
            JsonNode sample;
            try {
                sample = Json.MAPPER.readTree(entry.getValue().toFile());
            } catch (IOException e) {
                problems.add("events/" + name + " is not valid JSON: " + e.getMessage());
                continue;
            }
            Kind kind = kindOf(sample);
            Set<String> actual;
            if (kind == Kind.EVENTBRIDGE) {
                actual = reached(rules, sample);
            } else if (kind == Kind.SNS) {
                actual = reachedSns(subscriptions, sample);
            } else {
                if (routes.containsKey(name)) {
                    problems.add("routing table lists events/" + name + ", but it is neither an EventBridge event"
                            + " (no \"detail-type\") nor an SNS notification (no Records[].Sns): remove the entry");
                }
                continue;
            }
            Set<String> expected = routes.get(name);
            if (expected == null) {
                problems.add("events/" + name + " (" + kind + ") is not in the routing table; today it reaches "
                        + actual + ". Add Map.entry(\"" + name + "\", Set.of(" + quoted(actual)
                        + ")) to ROUTES in TemplateContractTest if that is what it should reach.");
                continue;
            }
            if (!new TreeSet<>(expected).equals(actual)) {
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(actual);
                Set<String> unexpected = new TreeSet<>(actual);
                unexpected.removeAll(expected);
                StringBuilder message = new StringBuilder("events/" + name + " should reach " + new TreeSet<>(expected)
                        + " but reaches " + actual + " (missing " + missing + ", unexpected " + unexpected + ")");
                if (kind == Kind.EVENTBRIDGE) {
                    Set<String> offBus = new TreeSet<>(patternMatches(rules, sample.toString()));
                    offBus.removeAll(actual);
                    if (!offBus.isEmpty()) {
                        message.append("; patterns that match but listen on another bus than ")
                                .append(busOfSample(sample)).append(": ").append(offBus);
                    }
                }
                problems.add(message.toString());
            }
        }
        for (String name : routes.keySet()) {
            if (!samples.containsKey(name)) {
                problems.add("routing table lists events/" + name + ", which does not exist");
            }
        }
        return problems;
    }

    private static String quoted(Set<String> ids) {
        return String.join(", ", ids.stream().map(id -> "\"" + id + "\"").toList());
    }
}
