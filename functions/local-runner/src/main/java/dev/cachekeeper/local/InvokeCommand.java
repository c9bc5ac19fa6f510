package dev.cachekeeper.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.contract.SamTemplate;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.aws.AwsAccount;
import dev.cachekeeper.core.aws.RealAwsAccount;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import dev.cachekeeper.simulation.ApiCall;
import dev.cachekeeper.simulation.PublishedMessage;
import dev.cachekeeper.simulation.RecordedEvent;
import dev.cachekeeper.simulation.SimulatedAws;
import dev.cachekeeper.simulation.WorldFileException;
import dev.cachekeeper.statemachine.ExecutionResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * {@code invoke <LogicalId> --event FILE [--world FILE] [--dry-run] [--aws [--apply]]}: one function (or state
 * machine) of template.yaml run once on an event, reported as one JSON document. On the simulated account the
 * function gets exactly the environment the template gives it; events it puts on the bus are reported, not routed.
 */
final class InvokeCommand {
    record Options(String logicalId, Path event, Path world, boolean dryRun, boolean aws, boolean apply) {
    }

    private InvokeCommand() {
    }

    static ObjectNode run(Checkout checkout, Options o) {
        JsonNode event = LocalDeployment.readJson(o.event(), "event file");
        return o.aws() ? onAws(checkout, o, event) : onSimulation(checkout, o, event);
    }

    private static ObjectNode onSimulation(Checkout checkout, Options o, JsonNode event) {
        SimulatedAws sim = world(o.world());
        Map<String, String> parameters = o.dryRun() ? Map.of("DryRun", "true") : Map.of();
        LocalDeployment deployment = new LocalDeployment(checkout, sim, parameters);
        boolean isFunction = deployment.functionIds().contains(o.logicalId());
        if (!isFunction && !deployment.stateMachineIds().contains(o.logicalId())) {
            throw new UsageException("no function or state machine " + o.logicalId() + " in template.yaml (functions: "
                    + String.join(", ", deployment.functionIds()) + "; state machines: "
                    + String.join(", ", deployment.stateMachineIds()) + ")");
        }
        int callsBefore = sim.calls().size();
        int eventsBefore = sim.eventBridge().putEvents().size();
        int messagesBefore = sim.sns().published().size();
        Report report = new Report(o.logicalId(), o.event().toString(), "simulated " + sim.accountId() + " "
                + sim.region(), o.dryRun());
        if (isFunction) {
            report.result(deployment.invoke(o.logicalId(), event, o.event().getFileName().toString()));
        } else {
            ExecutionResult r = deployment.startExecution(o.logicalId(), event, o.event().getFileName().toString());
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("status", r.status().name());
            if (r.output() != null) {
                n.set("output", r.output());
            }
            if (r.error() != null) {
                n.put("error", r.error()).put("cause", r.cause());
            }
            n.set("statesEntered", Json.MAPPER.valueToTree(r.statesEntered()));
            report.result(n);
        }
        var putEvents = sim.eventBridge().putEvents();
        for (RecordedEvent e : putEvents.subList(eventsBefore, putEvents.size())) {
            report.event(e.eventBusName(), e.source(), e.detailType(), parse(e.detail()));
        }
        var published = sim.sns().published();
        for (PublishedMessage m : published.subList(messagesBefore, published.size())) {
            if (m.publishedBy().equals("api")) {
                report.alert(m.topicArn(), m.subject(), m.message(), m.attributes());
            }
        }
        var calls = sim.calls();
        for (ApiCall c : calls.subList(callsBefore, calls.size())) {
            report.call(c.service(), c.operation(), c.keyParams(), c.outcome());
        }
        report.world(sim.worldSnapshot());
        report.metrics(deployment.metrics());
        return report.json();
    }

    static SimulatedAws world(Path world) {
        if (world == null) {
            return SimulatedAws.fromBundledWorld("default");
        }
        JsonNode json = LocalDeployment.readJson(world, "world file");
        try {
            return SimulatedAws.fromWorld(json.toString());
        } catch (WorldFileException e) {
            throw new UsageException(world + ": " + e.getMessage(), 2);
        }
    }

    private static ObjectNode onAws(Checkout checkout, Options o, JsonNode event) {
        SamTemplate template;
        try {
            template = SamTemplate.load(checkout.template());
        } catch (IOException e) {
            throw new UsageException("cannot read " + checkout.template() + ": " + e.getMessage(), 1);
        }
        if (!SamTemplate.FUNCTION.equals(template.typeOf(o.logicalId()))) {
            throw new UsageException("no function " + o.logicalId() + " in template.yaml (with --aws only functions"
                    + " run: functions are " + String.join(", ", template.idsOfType(SamTemplate.FUNCTION)) + ")");
        }
        boolean dryRun = !o.apply();
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        if (dryRun) {
            env.put(Settings.DRY_RUN, "true"); // nothing changes in the account without --apply
        }
        RecordingMetrics metrics = new RecordingMetrics();
        AwsAccount account = new Recorded(new RealAwsAccount(new Settings(env)), metrics);
        Map<String, Object> props = template.effectiveProperties(o.logicalId());
        Object timeout = props.get("Timeout");
        LocalFunction function = new LocalFunction(o.logicalId(), o.logicalId(), String.valueOf(props.get("Handler")),
                () -> account, Clock.systemUTC(), Duration.ofSeconds(timeout instanceof Number n ? n.longValue() : 60));
        AwsCallRecorder.clear();
        Report report = new Report(o.logicalId(), o.event().toString(), "aws (default credentials chain, "
                + account.settings().region() + ")", dryRun);
        report.result(function.invoke(event));
        for (AwsCallRecorder.Call c : AwsCallRecorder.calls()) {
            report.call(c.service(), c.operation(), c.params(), c.outcome());
            if (c.request() instanceof PutEventsRequest put && c.outcome().equals("ok")) {
                put.entries().forEach(e -> report.event(e.eventBusName(), e.source(), e.detailType(), parse(e.detail())));
            } else if (c.request() instanceof PublishRequest p && c.outcome().equals("ok")) {
                Map<String, String> attrs = new LinkedHashMap<>();
                p.messageAttributes().forEach((k, v) -> attrs.put(k, v.stringValue()));
                report.alert(p.topicArn(), p.subject(), p.message(), attrs);
            }
        }
        report.worldUnavailable("not read back from a real account; see calls");
        report.metrics(metrics);
        return report.json();
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException | RuntimeException e) {
            return JsonNodeFactory.instance.textNode(json);
        }
    }

    /** The real account with metrics recorded for the report instead of printed as EMF on stdout. */
    private record Recorded(AwsAccount real, Metrics metrics) implements AwsAccount {
        @Override public Settings settings() { return real.settings(); }
        @Override public Clock clock() { return real.clock(); }
        @Override public Retrier.Sleeper sleeper() { return real.sleeper(); }
        @Override public ElastiCacheClient elastiCache() { return real.elastiCache(); }
        @Override public SnsClient sns() { return real.sns(); }
        @Override public EventBridgeClient eventBridge() { return real.eventBridge(); }
        @Override public DynamoDbClient dynamoDb() { return real.dynamoDb(); }
        @Override public <T> T client(Class<T> type) { return real.client(type); }
    }
}
