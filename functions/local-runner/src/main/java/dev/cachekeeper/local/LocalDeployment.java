package dev.cachekeeper.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.contract.CfnYaml;
import dev.cachekeeper.contract.EventRouting;
import dev.cachekeeper.contract.Intrinsics;
import dev.cachekeeper.contract.SamTemplate;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import dev.cachekeeper.simulation.PublishedMessage;
import dev.cachekeeper.simulation.RecordedEvent;
import dev.cachekeeper.simulation.SimulatedAccount;
import dev.cachekeeper.simulation.SimulatedAws;
import dev.cachekeeper.statemachine.ExecutionResult;
import dev.cachekeeper.statemachine.LocalStateMachine;
import dev.cachekeeper.statemachine.SdkIntegration;
import dev.cachekeeper.statemachine.TaskFailure;
import dev.cachekeeper.statemachine.TaskHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * The stack of template.yaml deployed on a simulated account: its topics, table and bus created in the simulation,
 * each function's environment resolved from the template (parameters at their defaults unless overridden), and
 * the wiring between them played by the template itself: every EventBridge rule matched with event-ruler against
 * every event that reaches a bus, SNS subscriptions, state machines run by the real ASL interpreter with their
 * definition substitutions, and CloudTrail records of the ElastiCache calls that change something.
 *
 * <p>Delivery is synchronous and ordered: events and messages are queued as they happen and {@link #drain()}
 * delivers them one by one until nothing is left (with a bound against loops).
 */
public final class LocalDeployment {
    public static final String STACK_NAME = "local";
    public static final String LIVE_ALIAS = "live";
    /** Who the demo's manual actions are recorded as in CloudTrail. */
    public static final String OPERATOR = "arn:aws:sts::" + SimulatedAws.DEFAULT_ACCOUNT_ID
            + ":assumed-role/platform-admin/jane";
    static final int MAX_DELIVERIES_PER_DRAIN = 500;
    private static final Set<String> CLOUDTRAIL_CALLS = Set.of("DeleteReplicationGroup", "DeleteCacheCluster",
            "DeleteServerlessCache", "TestFailover", "CreateSnapshot", "CopySnapshot", "CreateServerlessCacheSnapshot",
            "CopyServerlessCacheSnapshot");

    /** What the timeline shows: one line per thing that happened, at simulated time. */
    public record Entry(Instant at, String kind, String text) {
    }

    /** One function invocation, for summaries and tests; {@code event} is what it was given (to deliver it again). */
    public record Invocation(String functionId, String trigger, JsonNode event, LocalFunction.Result result) {
    }

    /** One state machine execution. */
    public record Execution(String stateMachineId, String trigger, ExecutionResult result) {
    }

    private record Route(String ruleId, String owner, String bus, String inputPath, String input) {
    }

    private record Delivery(String what, String target, JsonNode input) {
    }

    private final Checkout checkout;
    private final SamTemplate template;
    private final SimulatedAws sim;
    private final SimulatedAccount account;
    private final Map<String, String> parameters;
    private final Intrinsics intrinsics;
    private final Map<String, LocalFunction> functions = new LinkedHashMap<>();
    private final Map<String, String> functionIdByName = new LinkedHashMap<>();
    private final List<Route> routes = new ArrayList<>();
    private final List<EventRouting.Rule> rules = new ArrayList<>();
    private final Deque<Delivery> queue = new ConcurrentLinkedDeque<>();
    private final List<Entry> journal = new CopyOnWriteArrayList<>();
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    private final List<Execution> executions = new CopyOnWriteArrayList<>();
    private final AtomicInteger executionCount = new AtomicInteger();
    private volatile boolean routing;
    private int callsSeen;

    /**
     * Deploys {@code checkout}'s template on {@code sim}. {@code parameterValues} override parameter defaults
     * (e.g. {@code DryRun=true}).
     */
    public LocalDeployment(Checkout checkout, SimulatedAws sim, Map<String, String> parameterValues) {
        this.checkout = checkout;
        try {
            this.template = SamTemplate.load(checkout.template());
        } catch (IOException e) {
            throw new UsageException("cannot read " + checkout.template() + ": " + e.getMessage(), 1);
        }
        this.sim = sim;
        this.parameters = Map.copyOf(parameterValues);
        for (String name : parameters.keySet()) {
            if (!template.parameters().containsKey(name)) {
                throw new UsageException("template.yaml has no parameter " + name);
            }
        }
        Map<String, Object> pseudo = new LinkedHashMap<>(Intrinsics.PSEUDO);
        pseudo.put("AWS::AccountId", sim.accountId());
        pseudo.put("AWS::Region", sim.region());
        pseudo.put("AWS::Partition", sim.partition());
        pseudo.put("AWS::StackName", STACK_NAME);
        pseudo.put("AWS::StackId", "arn:" + sim.partition() + ":cloudformation:" + sim.region() + ":"
                + sim.accountId() + ":stack/" + STACK_NAME + "/00000000-0000-0000-0000-000000000000");
        this.intrinsics = new Intrinsics(template, pseudo, parameters, new PhysicalNames());
        this.account = new SimulatedAccount(sim, Map.of(), new RecordingMetrics());
        createResources();
        createFunctions();
        wireEventBridge();
        wireSns();
        this.callsSeen = sim.calls().size();
    }

    // ---- what is deployed ----

    public SimulatedAws simulation() {
        return sim;
    }

    public SamTemplate template() {
        return template;
    }

    public RecordingMetrics metrics() {
        return account.recordedMetrics();
    }

    public Set<String> functionIds() {
        return functions.keySet();
    }

    public List<String> stateMachineIds() {
        return template.idsOfType(SamTemplate.STATE_MACHINE).stream().filter(this::exists).toList();
    }

    /** The value of {@code Ref} to a resource of the stack (a topic's ARN, the bus's name, ...). */
    public String ref(String logicalId) {
        return String.valueOf(intrinsics.resolve(Map.of("Ref", logicalId)));
    }

    /** The project's bus, as functions see it in CACHEKEEPER_BUS_NAME. */
    public String busName() {
        return ref("EventBus");
    }

    public String alertTopicArn() {
        return ref("AlertTopic");
    }

    public List<Entry> journal() {
        return List.copyOf(journal);
    }

    public List<Invocation> invocations() {
        return List.copyOf(invocations);
    }

    public List<Execution> executions() {
        return List.copyOf(executions);
    }

    /** The environment a function gets in this deployment. */
    public Map<String, String> environment(String functionId) {
        Map<String, Object> props = template.effectiveProperties(functionId);
        Map<String, String> env = new LinkedHashMap<>();
        Object vars = intrinsics.resolve(SamTemplate.asMap(SamTemplate.asMap(props.get("Environment")).get("Variables")));
        SamTemplate.asMap(vars).forEach((k, v) -> env.put(k, v == null ? "" : String.valueOf(v)));
        env.put("AWS_REGION", sim.region());
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName(functionId));
        return env;
    }

    // ---- acting on the deployment ----

    /** Routes events and messages to the stack's rules and subscriptions from now on (off for a direct invoke). */
    public void startRouting() {
        routing = true;
    }

    /** Invokes one function directly with an event, as {@code aws lambda invoke} would. */
    public LocalFunction.Result invoke(String functionId, JsonNode event, String trigger) {
        LocalFunction f = functions.get(functionId);
        if (f == null) {
            throw new UsageException("no function " + functionId + " in template.yaml (functions: "
                    + String.join(", ", functions.keySet()) + ")");
        }
        LocalFunction.Result result = f.invoke(event);
        invocations.add(new Invocation(functionId, trigger, event, result));
        note("function", functionId + " <- " + trigger + ": " + summary(result));
        cloudTrail(functionActor(functionId));
        return result;
    }

    /** Runs one state machine of the template with {@code input}, as StartExecution would. */
    public ExecutionResult startExecution(String stateMachineId, JsonNode input, String trigger) {
        if (!stateMachineIds().contains(stateMachineId)) {
            throw new UsageException("no state machine " + stateMachineId + " in template.yaml");
        }
        Map<String, Object> props = template.effectiveProperties(stateMachineId);
        Object uri = props.get("DefinitionUri");
        if (!(uri instanceof String definition)) {
            throw new UsageException(stateMachineId + ": only a DefinitionUri file can run locally", 1);
        }
        Map<String, String> substitutions = new LinkedHashMap<>();
        SamTemplate.asMap(intrinsics.resolve(SamTemplate.asMap(props.get("DefinitionSubstitutions"))))
                .forEach((k, v) -> substitutions.put(k, String.valueOf(v)));
        String actor = stateMachineActor(stateMachineId);
        LocalStateMachine.Builder b = LocalStateMachine.builder()
                .definition(checkout.root().resolve(definition))
                .statemachinesDir(checkout.statemachines())
                .substitutions(substitutions)
                .executionName(stateMachineId + "-" + executionCount.incrementAndGet())
                .timeout(Duration.ofMinutes(5))
                .clock(sim::now)
                .onWait(sim::advance)
                .onRetryDelay(sim::advance);
        SdkIntegration.elastiCache(sim.elastiCache()).forEach((resource, handler) ->
                b.task(resource, asActor(actor, handler)));
        b.task("arn:aws:states:::sns:publish", asActor(actor, this::snsPublishTask));
        b.task(LocalStateMachine.LAMBDA_INVOKE, this::lambdaInvokeTask);
        for (String id : functions.keySet()) {
            TaskHandler fn = in -> taskResult(id, in, stateMachineId);
            b.task(functionArn(id), fn);
            b.task(functionArn(id) + ":" + LIVE_ALIAS, fn);
        }
        note("state-machine", stateMachineId + " started <- " + trigger);
        ExecutionResult result = b.build().run(input);
        executions.add(new Execution(stateMachineId, trigger, result));
        note("state-machine", stateMachineId + " " + result.status()
                + (result.error() == null ? "" : " (" + result.error() + ")") + " after "
                + result.statesEntered().size() + " states, " + human(result.waited()) + " waited");
        return result;
    }

    /** Puts an event on a bus as an operator or pipeline would (PutEvents). */
    public void putEvent(String busName, String source, String detailType, JsonNode detail) {
        sim.eventBridge().putEvents(r -> r.entries(e -> e.eventBusName(busName).source(source)
                .detailType(detailType).detail(detail.toString())));
    }

    /**
     * Something done on the account by a person (the demo's operator): its mutating ElastiCache calls are then
     * recorded by CloudTrail under {@code actorArn}.
     */
    public void actAs(String actorArn, Runnable action) {
        action.run();
        cloudTrail(actorArn);
    }

    /** Delivers everything queued, and what that causes, until nothing is left. */
    public void drain() {
        cloudTrail(OPERATOR);
        int n = 0;
        Delivery d;
        while ((d = queue.poll()) != null) {
            if (++n > MAX_DELIVERIES_PER_DRAIN) {
                queue.clear();
                throw new IllegalStateException("more than " + MAX_DELIVERIES_PER_DRAIN
                        + " deliveries in one step: the rules and functions keep triggering each other");
            }
            deliver(d);
        }
    }

    /** Moves the simulated clock (time-driven changes happen: snapshots complete, ...) and delivers what follows. */
    public void advance(Duration d) {
        sim.advance(d);
        drain();
    }

    public void advanceTo(Instant t) {
        sim.advanceTo(t);
        drain();
    }

    public void note(String kind, String text) {
        journal.add(new Entry(sim.now(), kind, text));
    }

    // ---- resources ----

    private boolean exists(String logicalId) {
        Object condition = template.resource(logicalId).get("Condition");
        return condition == null || intrinsics.isTrue(String.valueOf(condition));
    }

    private void createResources() {
        for (String id : template.resources().keySet()) {
            if (!exists(id)) {
                continue;
            }
            switch (String.valueOf(template.typeOf(id))) {
                case "AWS::SNS::Topic" -> sim.sns().topic(physicalName(id));
                case "AWS::DynamoDB::Table" -> {
                    Map<String, Object> p = template.properties(id);
                    String key = "pk";
                    for (Object k : p.get("KeySchema") instanceof List<?> l ? l : List.of()) {
                        if ("HASH".equals(SamTemplate.asMap(k).get("KeyType"))) {
                            key = String.valueOf(SamTemplate.asMap(k).get("AttributeName"));
                        }
                    }
                    Object ttl = SamTemplate.asMap(p.get("TimeToLiveSpecification")).get("AttributeName");
                    sim.dynamoDb().createTable(physicalName(id), key, ttl == null ? null : String.valueOf(ttl));
                }
                case "AWS::S3::Bucket" -> {
                    if (!sim.s3().bucketExists(physicalName(id))) {
                        sim.s3().createBucket(physicalName(id));
                    }
                }
                default -> {
                }
            }
        }
    }

    private void createFunctions() {
        for (String id : template.idsOfType(SamTemplate.FUNCTION)) {
            if (!exists(id)) {
                continue;
            }
            Map<String, Object> props = template.effectiveProperties(id);
            String handler = String.valueOf(props.get("Handler"));
            Object timeout = props.get("Timeout");
            Duration limit = Duration.ofSeconds(timeout instanceof Number n ? n.longValue() : 3);
            functions.put(id, new LocalFunction(id, functionName(id), handler,
                    () -> account.withSettings(environment(id)), sim.clock(), limit));
            functionIdByName.put(functionName(id), id);
        }
    }

    /** Physical names: what CloudFormation would have generated, made readable. */
    private String physicalName(String id) {
        Map<String, Object> p = template.properties(id);
        String nameProperty = switch (String.valueOf(template.typeOf(id))) {
            case "AWS::SNS::Topic" -> "TopicName";
            case "AWS::DynamoDB::Table" -> "TableName";
            case "AWS::S3::Bucket" -> "BucketName";
            case "AWS::Events::EventBus" -> "Name";
            case SamTemplate.FUNCTION -> "FunctionName";
            case SamTemplate.STATE_MACHINE -> "Name";
            default -> null;
        };
        Object given = nameProperty == null ? null : p.get(nameProperty);
        if (given != null) {
            Object resolved = intrinsics.resolve(given);
            if (resolved != null && !String.valueOf(resolved).isBlank()) {
                return String.valueOf(resolved);
            }
        }
        String name = "cachekeeper-" + STACK_NAME + "-" + id;
        return "AWS::S3::Bucket".equals(template.typeOf(id)) ? name.toLowerCase(Locale.ROOT) : name;
    }

    private String functionName(String id) {
        return physicalName(id);
    }

    private String functionArn(String id) {
        return "arn:" + sim.partition() + ":lambda:" + sim.region() + ":" + sim.accountId() + ":function:"
                + functionName(id);
    }

    private String stateMachineArn(String id) {
        return "arn:" + sim.partition() + ":states:" + sim.region() + ":" + sim.accountId() + ":stateMachine:"
                + physicalName(id);
    }

    /** Ref and GetAtt as CloudFormation answers them for each resource type. */
    private final class PhysicalNames implements Intrinsics.Stack {
        @Override
        public Object ref(String logicalId) {
            int dot = logicalId.indexOf('.');
            if (dot > 0) {
                String base = logicalId.substring(0, dot);
                String suffix = logicalId.substring(dot + 1);
                if (suffix.equals("Alias") && SamTemplate.FUNCTION.equals(template.typeOf(base))) {
                    return functionArn(base) + ":" + LIVE_ALIAS;
                }
                return logicalId;
            }
            String type = String.valueOf(template.typeOf(logicalId));
            return switch (type) {
                case "AWS::SNS::Topic" -> sim.sns().topicArn(physicalName(logicalId));
                case SamTemplate.STATE_MACHINE -> stateMachineArn(logicalId);
                case "AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Events::EventBus", SamTemplate.FUNCTION ->
                        physicalName(logicalId);
                default -> logicalId;
            };
        }

        @Override
        public Object getAtt(String logicalId, String attribute) {
            String type = String.valueOf(template.typeOf(logicalId));
            String prefix = "arn:" + sim.partition() + ":";
            String region = sim.region() + ":" + sim.accountId() + ":";
            if (attribute.equals("Arn")) {
                return switch (type) {
                    case SamTemplate.FUNCTION -> functionArn(logicalId);
                    case SamTemplate.STATE_MACHINE -> stateMachineArn(logicalId);
                    case "AWS::Events::EventBus" -> prefix + "events:" + region + "event-bus/" + physicalName(logicalId);
                    case "AWS::DynamoDB::Table" -> prefix + "dynamodb:" + region + "table/" + physicalName(logicalId);
                    case "AWS::S3::Bucket" -> prefix + "s3:::" + physicalName(logicalId);
                    case "AWS::SNS::Topic" -> sim.sns().topicArn(physicalName(logicalId));
                    default -> logicalId + ".Arn";
                };
            }
            if (attribute.equals("Name")) {
                return physicalName(logicalId);
            }
            return logicalId + "." + attribute;
        }
    }

    // ---- EventBridge ----

    private void wireEventBridge() {
        for (EventRouting.Rule rule : EventRouting.rules(template)) {
            if (rule.pattern() == null) {
                note("warning", "rule " + rule.id() + " is not routed locally: " + rule.problem());
                continue;
            }
            int dot = rule.id().indexOf('.');
            String owner = dot > 0 ? rule.id().substring(0, dot) : rule.id();
            if (!exists(owner)) {
                continue;
            }
            Map<String, Object> p = dot > 0
                    ? SamTemplate.asMap(SamTemplate.asMap(SamTemplate.asMap(template.properties(owner).get("Events"))
                            .get(rule.id().substring(dot + 1))).get("Properties"))
                    : template.properties(owner);
            Object inputPath = intrinsics.resolve(p.get("InputPath"));
            Object input = intrinsics.resolve(p.get("Input"));
            if (dot > 0) {
                routes.add(new Route(rule.id(), owner, rule.bus(), str(inputPath), str(input)));
            } else {
                // AWS::Events::Rule: one route per target
                for (Object t : p.get("Targets") instanceof List<?> l ? l : List.of()) {
                    Map<String, Object> target = SamTemplate.asMap(t);
                    Object arn = target.get("Arn");
                    String targetId = targetLogicalId(arn);
                    routes.add(new Route(rule.id(), targetId != null ? targetId : String.valueOf(intrinsics.resolve(arn)),
                            rule.bus(), str(intrinsics.resolve(target.get("InputPath"))),
                            str(intrinsics.resolve(target.get("Input")))));
                }
            }
            rules.add(rule);
        }
        sim.eventBridge().subscribe(this::onBusEvent);
    }

    private String targetLogicalId(Object arn) {
        String fn = CfnYaml.intrinsicName(arn);
        if (fn == null) {
            return null;
        }
        Object a = ((Map<?, ?>) arn).get(fn);
        String id = a instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(a).split("\\.")[0];
        return template.resources().containsKey(id) ? id : null;
    }

    private static String str(Object o) {
        return o == null ? null : o instanceof String s ? s : o.toString();
    }

    private void onBusEvent(RecordedEvent e) {
        if (!routing) {
            return;
        }
        ObjectNode envelope = envelope(e);
        String bus = e.eventBusName().equals(EventRouting.DEFAULT_BUS) ? EventRouting.DEFAULT_BUS
                : e.eventBusName().equals(busName()) ? "EventBus" : e.eventBusName();
        Set<String> matched = EventRouting.patternMatches(rules, envelope.toString());
        List<String> reached = new ArrayList<>();
        for (Route r : routes) {
            if (matched.contains(r.ruleId()) && r.bus().equals(bus)) {
                reached.add(r.ruleId());
                queue.add(new Delivery(e.detailType() + " (" + r.ruleId() + ")", r.owner(), transform(envelope, r)));
            }
        }
        note("event", "[" + (bus.equals("EventBus") ? "cachekeeper bus" : e.eventBusName() + " bus") + "] "
                + e.source() + " / " + e.detailType() + describeDetail(envelope.path("detail"))
                + (reached.isEmpty() ? " -> no rule" : " -> " + String.join(", ", new TreeSet<>(reached))));
    }

    static ObjectNode envelope(RecordedEvent e) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("version", "0");
        n.put("id", e.eventId());
        n.put("detail-type", e.detailType());
        n.put("source", e.source());
        n.put("account", SimulatedAws.DEFAULT_ACCOUNT_ID);
        n.put("time", e.time().truncatedTo(ChronoUnit.SECONDS).toString());
        n.put("region", SimulatedAws.DEFAULT_REGION);
        ArrayNode resources = n.putArray("resources");
        e.resources().forEach(resources::add);
        try {
            n.set("detail", Json.MAPPER.readTree(e.detail()));
        } catch (IOException ex) {
            n.put("detail", e.detail());
        }
        return n;
    }

    private static JsonNode transform(JsonNode envelope, Route r) {
        if (r.input() != null) {
            try {
                return Json.MAPPER.readTree(r.input());
            } catch (IOException e) {
                return JsonNodeFactory.instance.textNode(r.input());
            }
        }
        if (r.inputPath() != null && r.inputPath().startsWith("$")) {
            JsonNode n = envelope;
            for (String part : r.inputPath().substring(1).split("\\.")) {
                if (!part.isEmpty()) {
                    n = n.path(part);
                }
            }
            return n;
        }
        return envelope;
    }

    private static String describeDetail(JsonNode d) {
        if (d.has("cacheId")) {
            return " " + d.path("cacheId").asText()
                    + (d.hasNonNull("snapshotName") ? " snapshot " + d.path("snapshotName").asText() : "");
        }
        if (d.has("eventName")) {
            JsonNode p = d.path("requestParameters");
            String id = p.path("replicationGroupId").asText(p.path("cacheClusterId").asText(
                    p.path("serverlessCacheName").asText(p.path("sourceSnapshotName").asText(""))));
            return " " + d.path("eventName").asText() + (id.isEmpty() ? "" : " " + id);
        }
        return "";
    }

    // ---- SNS ----

    private void wireSns() {
        for (String id : template.idsOfType(SamTemplate.FUNCTION)) {
            if (!exists(id)) {
                continue;
            }
            SamTemplate.asMap(template.properties(id).get("Events")).forEach((name, ev) -> {
                Map<String, Object> e = SamTemplate.asMap(ev);
                if ("SNS".equals(e.get("Type"))) {
                    String topic = String.valueOf(intrinsics.resolve(SamTemplate.asMap(e.get("Properties")).get("Topic")));
                    sim.sns().topic(topic.substring(topic.lastIndexOf(':') + 1));
                    sim.sns().subscribe(topic, m -> {
                        if (routing) {
                            queue.add(new Delivery("SNS message on " + shortArn(topic) + " (" + id + "." + name + ")",
                                    id, snsEvent(m)));
                        }
                    });
                }
            });
        }
        String alerts = alertTopicArn();
        if (sim.sns().topicExists(alerts)) {
            sim.sns().subscribe(alerts, m -> note("alert", m.attributes().getOrDefault("severity", "?") + " "
                    + m.subject()));
        }
    }

    /** The event Lambda receives from an SNS subscription. */
    static JsonNode snsEvent(PublishedMessage m) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        ObjectNode record = event.putArray("Records").addObject();
        record.put("EventSource", "aws:sns");
        record.put("EventVersion", "1.0");
        record.put("EventSubscriptionArn", m.topicArn() + ":00000000-0000-0000-0000-000000000001");
        ObjectNode sns = record.putObject("Sns");
        sns.put("Type", "Notification");
        sns.put("MessageId", m.messageId());
        sns.put("TopicArn", m.topicArn());
        if (m.subject() == null) {
            sns.putNull("Subject");
        } else {
            sns.put("Subject", m.subject());
        }
        sns.put("Message", m.message());
        sns.put("Timestamp", m.at().truncatedTo(ChronoUnit.MILLIS).toString());
        sns.put("SignatureVersion", "1");
        sns.put("Signature", "LOCAL");
        sns.put("SigningCertUrl", "https://sns.local/cert.pem");
        sns.put("UnsubscribeUrl", "https://sns.local/unsubscribe");
        ObjectNode attrs = sns.putObject("MessageAttributes");
        m.attributes().forEach((k, v) -> attrs.putObject(k).put("Type", "String").put("Value", v));
        return event;
    }

    private static String shortArn(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    // ---- delivery ----

    private void deliver(Delivery d) {
        String type = String.valueOf(template.typeOf(d.target()));
        if (SamTemplate.FUNCTION.equals(type)) {
            invoke(d.target(), d.input(), d.what());
        } else if (SamTemplate.STATE_MACHINE.equals(type)) {
            startExecution(d.target(), d.input(), d.what());
        } else if (d.target().startsWith("arn:") && d.target().contains(":sns:")) {
            sim.sns().publish(r -> r.topicArn(d.target()).message(d.input().toString()));
        } else {
            note("warning", d.what() + ": target " + d.target() + " cannot run locally");
        }
    }

    // ---- state machine tasks ----

    private JsonNode taskResult(String functionId, JsonNode input, String stateMachineId) throws TaskFailure {
        LocalFunction.Result r = invoke(functionId, input, stateMachineId + " task");
        if (!r.ok()) {
            ObjectNode cause = Json.MAPPER.createObjectNode();
            cause.put("errorMessage", r.errorMessage());
            cause.put("errorType", r.errorType());
            throw new TaskFailure(r.errorType(), cause.toString());
        }
        return r.output();
    }

    private JsonNode lambdaInvokeTask(JsonNode input) throws TaskFailure {
        String name = input.path("FunctionName").asText();
        String[] parts = name.split(":");
        String fnName = parts.length >= 7 && "function".equals(parts[5]) ? parts[6] : parts[0];
        String id = functionIdByName.containsKey(fnName) ? functionIdByName.get(fnName)
                : functions.containsKey(fnName) ? fnName : null;
        if (id == null) {
            throw new TaskFailure("Lambda.ResourceNotFoundException", "Function not found: " + name);
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("ExecutedVersion", "1");
        out.set("Payload", taskResult(id, input.has("Payload") ? input.get("Payload")
                : Json.MAPPER.createObjectNode(), "lambda:invoke"));
        out.put("StatusCode", 200);
        return out;
    }

    private JsonNode snsPublishTask(JsonNode input) {
        JsonNode message = input.path("Message");
        PublishRequest.Builder b = PublishRequest.builder()
                .topicArn(input.path("TopicArn").asText(null))
                .message(message.isTextual() ? message.asText() : message.toString());
        if (input.hasNonNull("Subject")) {
            b.subject(input.path("Subject").asText());
        }
        Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
        input.path("MessageAttributes").properties().forEach(a -> attrs.put(a.getKey(), MessageAttributeValue.builder()
                .dataType(a.getValue().path("DataType").asText("String"))
                .stringValue(a.getValue().path("StringValue").asText()).build()));
        if (!attrs.isEmpty()) {
            b.messageAttributes(attrs);
        }
        return Json.MAPPER.createObjectNode().put("MessageId", sim.sns().publish(b.build()).messageId());
    }

    private TaskHandler asActor(String actor, TaskHandler handler) {
        return input -> {
            try {
                return handler.handle(input);
            } finally {
                cloudTrail(actor);
            }
        };
    }

    // ---- CloudTrail ----

    private String functionActor(String functionId) {
        return "arn:aws:sts::" + sim.accountId() + ":assumed-role/cachekeeper-" + STACK_NAME + "-" + functionId
                + "-role/" + functionName(functionId);
    }

    private String stateMachineActor(String stateMachineId) {
        return "arn:aws:sts::" + sim.accountId() + ":assumed-role/cachekeeper-" + STACK_NAME + "-" + stateMachineId
                + "-role/states-execution";
    }

    /** Turns the ElastiCache calls made since the last look into CloudTrail records on the default bus. */
    private synchronized void cloudTrail(String actorArn) {
        var calls = sim.calls();
        for (int i = callsSeen; i < calls.size(); i++) {
            var c = calls.get(i);
            if (!c.service().equals("elasticache") || !c.ok() || !CLOUDTRAIL_CALLS.contains(c.operation())) {
                continue;
            }
            ObjectNode detail = Json.MAPPER.createObjectNode();
            detail.put("eventVersion", "1.09");
            detail.putObject("userIdentity").put("type", "AssumedRole").put("arn", actorArn)
                    .put("accountId", sim.accountId());
            detail.put("eventTime", c.at().truncatedTo(ChronoUnit.SECONDS).toString());
            detail.put("eventSource", "elasticache.amazonaws.com");
            detail.put("eventName", c.operation());
            detail.put("awsRegion", sim.region());
            detail.put("sourceIPAddress", "198.51.100.7");
            detail.put("userAgent", "cachekeeper-local-runner");
            ObjectNode params = detail.putObject("requestParameters");
            c.keyParams().forEach((k, v) -> {
                String camel = Character.toLowerCase(k.charAt(0)) + k.substring(1);
                if (v.equals("true") || v.equals("false")) {
                    params.put(camel, Boolean.parseBoolean(v));
                } else {
                    params.put(camel, v);
                }
            });
            detail.putNull("responseElements");
            detail.put("requestID", java.util.UUID.randomUUID().toString());
            detail.put("eventID", java.util.UUID.randomUUID().toString());
            detail.put("readOnly", false);
            detail.put("eventType", "AwsApiCall");
            detail.put("managementEvent", true);
            detail.put("recipientAccountId", sim.accountId());
            detail.put("eventCategory", "Management");
            sim.eventBridge().deliverFromAws("aws.elasticache", "AWS API Call via CloudTrail", detail, List.of());
        }
        callsSeen = calls.size();
    }

    // ---- text ----

    static String summary(LocalFunction.Result r) {
        if (!r.ok()) {
            return "ERROR " + r.errorType() + ": " + r.errorMessage();
        }
        JsonNode o = r.output();
        if (o == null || o.isNull()) {
            return "ok";
        }
        String text = o.toString();
        return text.length() > 160 ? text.substring(0, 157) + "..." : text;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return (s / 60) + " min";
        }
        return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
    }

    /** Reads a JSON file for the user; a missing or malformed file is a one-line error. */
    public static JsonNode readJson(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(what + " " + file + " does not exist or is not a file", 2);
        }
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new UsageException(what + " " + file + " is not valid JSON: " + msg, 2);
        } catch (UncheckedIOException e) {
            throw new UsageException(what + " " + file + " cannot be read: " + e.getMessage(), 2);
        }
    }
}
