package dev.cachekeeper.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The template's security and failure-handling rules, read from the template itself so that every function,
 * state machine, rule and queue added later is held to them without touching this class:
 * <ul>
 *   <li>least privilege: every function and state machine has its own role; no Allow grants a mutating action
 *       (anything but Describe*, List*, Get*) on Resource "*", or a wildcard action; every elasticache:Delete*
 *       grant carries a Condition; only policy templates known to be resource-scoped are used;</li>
 *   <li>the topic ElastiCache publishes to is unencrypted and admits ElastiCache with aws:SourceOwner;</li>
 *   <li>failure containment: every rule and schedule event has a RetryPolicy and a dead-letter queue, every SNS
 *       event a redrive queue, every function an on-failure destination and Errors and Throttles alarms, every
 *       state machine ExecutionsFailed and ExecutionsTimedOut alarms, every queue a depth alarm, 14 days'
 *       retention and encryption; when the alert topic is encrypted, every role that publishes to it may use the
 *       key.</li>
 * </ul>
 */
public final class PolicyCheck {
    /** SAM policy templates whose statements name one resource (a topic, a function, a queue), never "*". */
    static final Set<String> SCOPED_POLICY_TEMPLATES = Set.of("SNSPublishMessagePolicy", "LambdaInvokePolicy",
            "SQSSendMessagePolicy", "StepFunctionsExecutionPolicy");
    static final Set<String> RULE_EVENTS = Set.of("EventBridgeRule", "CloudWatchEvent", "Schedule");
    static final int FOURTEEN_DAYS = 14 * 24 * 3600;

    private final SamTemplate template;
    private final String alertTopic;

    private PolicyCheck(SamTemplate template, String alertTopic) {
        this.template = template;
        this.alertTopic = alertTopic;
    }

    /** All problems; {@code alertTopic} is the logical id of the topic alarms must publish to. */
    public static List<String> check(SamTemplate template, String alertTopic) {
        PolicyCheck c = new PolicyCheck(template, alertTopic);
        List<String> problems = new ArrayList<>();
        problems.addAll(c.leastPrivilege());
        problems.addAll(c.notificationTopic());
        problems.addAll(c.failureContainment());
        problems.addAll(c.alertTopicKey());
        return problems;
    }

    /**
     * Every action an Allow statement of {@code owner}'s policies names (both branches of any Fn::If), whatever its
     * resources and conditions: what the role may call at all.
     */
    public static Set<String> allowedActions(SamTemplate template, String owner) {
        Set<String> out = new java.util.TreeSet<>();
        for (Map<String, Object> st : new PolicyCheck(template, null).statementsByOwner().getOrDefault(owner,
                List.of())) {
            if ("Allow".equals(st.get("Effect"))) {
                out.addAll(strings(st.get("Action")));
            }
        }
        return out;
    }

    // ---- least privilege ----

    List<String> leastPrivilege() {
        List<String> problems = new ArrayList<>();
        for (String id : principals()) {
            if (template.effectiveProperties(id).get("Role") != null) {
                problems.add(id + " sets Role: every function and state machine gets its own role from its Policies");
            }
        }
        statementsByOwner().forEach((owner, statements) -> {
            for (Map<String, Object> st : statements) {
                checkStatement(owner, st, problems);
            }
        });
        return problems;
    }

    private List<String> principals() {
        List<String> ids = new ArrayList<>(template.idsOfType(SamTemplate.FUNCTION));
        ids.addAll(template.idsOfType(SamTemplate.STATE_MACHINE));
        return ids;
    }

    /** Identity-policy statements, by the function, state machine or IAM resource that holds them. */
    Map<String, List<Map<String, Object>>> statementsByOwner() {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (String id : principals()) {
            List<Map<String, Object>> statements = new ArrayList<>();
            Object policies = template.properties(id).get("Policies");
            List<?> entries = policies instanceof List<?> l ? l : policies == null ? List.of() : List.of(policies);
            for (Object entry : entries) {
                for (Object e : branches(entry)) {
                    if (e instanceof String name) {
                        statements.add(Map.of("__problem", "uses managed policy " + name
                                + ", whose grants this check cannot see; write a Statement"));
                    } else if (e instanceof Map<?, ?> m && m.containsKey("Statement")) {
                        statements.addAll(statementsOf(m));
                    } else if (e instanceof Map<?, ?> m && m.size() == 1) {
                        String name = String.valueOf(m.keySet().iterator().next());
                        if (!SCOPED_POLICY_TEMPLATES.contains(name)) {
                            statements.add(Map.of("__problem", "uses policy template " + name + ", which is not"
                                    + " known to be resource-scoped; write a Statement"));
                        }
                    }
                }
            }
            out.put(id, statements);
        }
        for (String type : List.of("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy")) {
            for (String id : template.idsOfType(type)) {
                out.put(id, statementsOf(SamTemplate.asMap(template.properties(id).get("PolicyDocument"))));
            }
        }
        for (String id : template.idsOfType("AWS::IAM::Role")) {
            List<Map<String, Object>> statements = new ArrayList<>();
            Object policies = template.properties(id).get("Policies");
            if (policies instanceof List<?> l) {
                for (Object p : l) {
                    statements.addAll(statementsOf(SamTemplate.asMap(SamTemplate.asMap(p).get("PolicyDocument"))));
                }
            }
            out.put(id, statements);
        }
        return out;
    }

    private static List<Map<String, Object>> statementsOf(Map<?, ?> document) {
        List<Map<String, Object>> out = new ArrayList<>();
        Object statement = document.get("Statement");
        List<?> list = statement instanceof List<?> l ? l : statement == null ? List.of() : List.of(statement);
        for (Object s : list) {
            for (Object b : branches(s)) {
                out.add(SamTemplate.asMap(b));
            }
        }
        return out;
    }

    /** Both outcomes of an Fn::If (recursively), without AWS::NoValue; anything else as is. */
    static List<Object> branches(Object node) {
        if ("Fn::If".equals(CfnYaml.intrinsicName(node)) && ((Map<?, ?>) node).get("Fn::If") instanceof List<?> l
                && l.size() == 3) {
            List<Object> out = new ArrayList<>(branches(l.get(1)));
            out.addAll(branches(l.get(2)));
            return out;
        }
        if ("Ref".equals(CfnYaml.intrinsicName(node)) && "AWS::NoValue".equals(((Map<?, ?>) node).get("Ref"))) {
            return List.of();
        }
        return List.of(node);
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> l) {
            return l.stream().map(v -> v instanceof String s ? s : null).filter(v -> v != null).toList();
        }
        return value instanceof String s ? List.of(s) : List.of();
    }

    /** An action that only reads: Describe*, List*, Get* (and no wildcard in the service or verb otherwise). */
    static boolean readOnly(String action) {
        String verb = action.contains(":") ? action.substring(action.indexOf(':') + 1) : action;
        return verb.startsWith("Describe") || verb.startsWith("List") || verb.startsWith("Get");
    }

    private static void checkStatement(String owner, Map<String, Object> st, List<String> problems) {
        if (st.containsKey("__problem")) {
            problems.add(owner + " " + st.get("__problem"));
            return;
        }
        if (!"Allow".equals(st.get("Effect"))) {
            return;
        }
        String sid = st.get("Sid") == null ? "" : " (" + st.get("Sid") + ")";
        if (st.containsKey("NotAction") || st.containsKey("NotResource")) {
            problems.add(owner + sid + ": Allow with NotAction/NotResource grants more than it names");
        }
        List<String> actions = strings(st.get("Action"));
        Object resource = st.get("Resource");
        boolean anyResource = "*".equals(resource) || (resource instanceof List<?> l && l.contains("*"));
        for (String action : actions) {
            String verb = action.contains(":") ? action.substring(action.indexOf(':') + 1) : action;
            // A narrow suffix (kms:GenerateDataKey*) is fine; a whole service or a bare verb prefix is not.
            if (verb.startsWith("*") || verb.length() < 4 && verb.contains("*")) {
                problems.add(owner + sid + ": wildcard action " + action + " grants more than the code calls");
            }
            if (anyResource && !readOnly(action)) {
                problems.add(owner + sid + ": " + action + " changes things and is granted on Resource '*';"
                        + " scope it to ARN patterns");
            }
            if (action.toLowerCase().startsWith("elasticache:delete")
                    && SamTemplate.asMap(st.get("Condition")).isEmpty()) {
                problems.add(owner + sid + ": " + action + " without a Condition (tag or name guard)");
            }
        }
    }

    // ---- the notification topic ----

    List<String> notificationTopic() {
        List<String> problems = new ArrayList<>();
        for (String policy : template.idsOfType("AWS::SNS::TopicPolicy")) {
            Map<String, Object> p = template.properties(policy);
            for (Map<String, Object> st : statementsOf(SamTemplate.asMap(p.get("PolicyDocument")))) {
                Object service = SamTemplate.asMap(st.get("Principal")).get("Service");
                if (!strings(service).contains("elasticache.amazonaws.com")) {
                    continue;
                }
                Map<String, Object> condition = SamTemplate.asMap(st.get("Condition"));
                if (!SamTemplate.asMap(condition.get("StringEquals")).containsKey("aws:SourceOwner")
                        || condition.toString().contains("aws:SourceAccount")) {
                    problems.add(policy + ": ElastiCache must be admitted with aws:SourceOwner (aws:SourceAccount"
                            + " makes the topic inactive)");
                }
                Object topics = p.get("Topics");
                for (Object t : topics instanceof List<?> l ? l : List.of()) {
                    String topic = refTarget(t);
                    if (topic != null && template.properties(topic).get("KmsMasterKeyId") != null) {
                        problems.add(topic + " is encrypted, but ElastiCache publishes to it: ElastiCache cannot"
                                + " publish to an encrypted topic (it goes inactive)");
                    }
                }
            }
        }
        return problems;
    }

    // ---- failure containment ----

    List<String> failureContainment() {
        List<String> problems = new ArrayList<>();
        Set<String> queues = Set.copyOf(template.idsOfType("AWS::SQS::Queue"));
        for (String id : principals()) {
            Map<String, Object> p = template.effectiveProperties(id);
            SamTemplate.asMap(p.get("Events")).forEach((name, event) -> {
                Map<String, Object> e = SamTemplate.asMap(event);
                Map<String, Object> props = SamTemplate.asMap(e.get("Properties"));
                String type = String.valueOf(e.get("Type"));
                if (RULE_EVENTS.contains(type)) {
                    if (SamTemplate.asMap(props.get("RetryPolicy")).isEmpty()) {
                        problems.add(id + ".Events." + name + " has no RetryPolicy");
                    }
                    String dlq = getAttArnTarget(SamTemplate.asMap(props.get("DeadLetterConfig")).get("Arn"));
                    if (dlq == null || !queues.contains(dlq)) {
                        problems.add(id + ".Events." + name + " has no DeadLetterConfig.Arn on a queue of this stack");
                    }
                } else if ("SNS".equals(type)) {
                    String dlq = getAttArnTarget(SamTemplate.asMap(props.get("RedrivePolicy")).get("deadLetterTargetArn"));
                    if (dlq == null || !queues.contains(dlq)) {
                        problems.add(id + ".Events." + name + " has no RedrivePolicy.deadLetterTargetArn on a queue of"
                                + " this stack");
                    }
                }
            });
        }
        for (String id : template.idsOfType(SamTemplate.FUNCTION)) {
            Map<String, Object> invoke = SamTemplate.asMap(template.effectiveProperties(id).get("EventInvokeConfig"));
            Map<String, Object> onFailure = SamTemplate.asMap(
                    SamTemplate.asMap(invoke.get("DestinationConfig")).get("OnFailure"));
            String target = getAttArnTarget(onFailure.get("Destination"));
            if (invoke.get("MaximumRetryAttempts") == null || target == null || !queues.contains(target)) {
                problems.add(id + " has no EventInvokeConfig with MaximumRetryAttempts and an OnFailure queue of this"
                        + " stack (asynchronous failures would vanish)");
            }
            requireAlarm(problems, id, "AWS/Lambda", "Errors", "FunctionName", Map.of("Ref", id));
            requireAlarm(problems, id, "AWS/Lambda", "Throttles", "FunctionName", Map.of("Ref", id));
        }
        for (String id : template.idsOfType(SamTemplate.STATE_MACHINE)) {
            requireAlarm(problems, id, "AWS/States", "ExecutionsFailed", "StateMachineArn", Map.of("Ref", id));
            requireAlarm(problems, id, "AWS/States", "ExecutionsTimedOut", "StateMachineArn", Map.of("Ref", id));
        }
        for (String id : queues) {
            Map<String, Object> q = template.properties(id);
            if (!Integer.valueOf(FOURTEEN_DAYS).equals(q.get("MessageRetentionPeriod"))) {
                problems.add(id + " keeps messages less than 14 days (MessageRetentionPeriod " + FOURTEEN_DAYS + ")");
            }
            if (!Boolean.TRUE.equals(q.get("SqsManagedSseEnabled")) && q.get("KmsMasterKeyId") == null) {
                problems.add(id + " is not encrypted (SqsManagedSseEnabled or KmsMasterKeyId)");
            }
            requireAlarm(problems, id, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName",
                    Map.of("Fn::GetAtt", List.of(id, "QueueName")));
        }
        return problems;
    }

    private void requireAlarm(List<String> problems, String id, String namespace, String metric, String dimension,
                              Object value) {
        for (String alarm : template.idsOfType("AWS::CloudWatch::Alarm")) {
            Map<String, Object> a = template.properties(alarm);
            Object dims = a.get("Dimensions");
            boolean forIt = dims instanceof List<?> l && l.stream().map(SamTemplate::asMap)
                    .anyMatch(d -> dimension.equals(d.get("Name")) && value.equals(d.get("Value")));
            if (namespace.equals(a.get("Namespace")) && metric.equals(a.get("MetricName")) && forIt) {
                Object actions = a.get("AlarmActions");
                if (!(actions instanceof List<?> l && l.contains(Map.of("Ref", alertTopic)))) {
                    problems.add(alarm + " does not publish to " + alertTopic);
                }
                if (!"GreaterThanThreshold".equals(a.get("ComparisonOperator"))
                        || !(a.get("Threshold") instanceof Number n) || n.doubleValue() != 0) {
                    problems.add(alarm + " must fire on the first one (GreaterThanThreshold 0)");
                }
                return;
            }
        }
        problems.add(id + " has no " + namespace + " " + metric + " alarm");
    }

    // ---- an encrypted alert topic ----

    List<String> alertTopicKey() {
        Object key = template.properties(alertTopic).get("KmsMasterKeyId");
        if (key == null) {
            return List.of();
        }
        List<String> publishers = new ArrayList<>();
        for (String id : template.idsOfType(SamTemplate.FUNCTION)) {
            Object policies = template.properties(id).get("Policies");
            // Either an sns:Publish statement on !Ref AlertTopic or SNSPublishMessagePolicy on its TopicName.
            String text = String.valueOf(policies);
            boolean publishes = text.contains("sns:Publish") && text.contains("{Ref=" + alertTopic + "}")
                    || text.contains("SNSPublishMessagePolicy") && text.contains("[" + alertTopic + ", TopicName]");
            if (publishes) {
                publishers.add(id + "Role");
            }
        }
        // The key value the topic uses, whichever branch of an Fn::If holds it.
        List<Object> keyValues = branches(key);
        for (String id : template.idsOfType("AWS::IAM::ManagedPolicy")) {
            Map<String, Object> p = template.properties(id);
            boolean grantsTheKey = statementsOf(SamTemplate.asMap(p.get("PolicyDocument"))).stream()
                    .anyMatch(st -> strings(st.get("Action")).contains("kms:GenerateDataKey")
                            && keyValues.contains(st.get("Resource")));
            if (grantsTheKey) {
                Object roles = p.get("Roles");
                List<String> missing = publishers.stream()
                        .filter(r -> !(roles instanceof List<?> l && l.contains(Map.of("Ref", r)))).toList();
                return missing.isEmpty() ? List.of() : List.of(id + " does not give the alert topic's key to "
                        + missing + ", which publish alerts");
            }
        }
        return List.of(alertTopic + " is encrypted, but no AWS::IAM::ManagedPolicy grants kms:GenerateDataKey on its"
                + " key to " + publishers);
    }

    private static String refTarget(Object node) {
        return "Ref".equals(CfnYaml.intrinsicName(node)) ? String.valueOf(((Map<?, ?>) node).get("Ref")) : null;
    }

    /** X for {@code !GetAtt X.Arn}, else null. */
    private static String getAttArnTarget(Object node) {
        if (!"Fn::GetAtt".equals(CfnYaml.intrinsicName(node))) {
            return null;
        }
        Object arg = ((Map<?, ?>) node).get("Fn::GetAtt");
        List<?> parts = arg instanceof List<?> l ? l : List.of(String.valueOf(arg).split("\\.", 2));
        return parts.size() == 2 && "Arn".equals(parts.get(1)) ? String.valueOf(parts.get(0)) : null;
    }
}
