package dev.cachekeeper.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.contract.SamTemplate;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.simulation.PublishedMessage;
import dev.cachekeeper.simulation.SimulatedAws;
import dev.cachekeeper.statemachine.ExecutionResult;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The scripted story on the bundled default world, with the stack of template.yaml deployed on it: each step
 * does to the simulated account what the world would (a failover, the nightly backup window, an operator's
 * requests and mistakes), and the stack reacts through its real rules, functions and state machines.
 */
public final class Demo {
    static final String PROTECTED_GROUP = "orders-cache";
    static final String CARELESS_DELETE = "sessions";
    static final String RESTORED_GROUP = "orders-restored";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** What the story ended with, for the summary and the tests. */
    public record Outcome(Map<String, List<String>> alertsBySeverity, Map<String, List<String>> snapshotsByKind,
                          List<String> auditVerdicts, String safeDestroyStatus, String restoreStatus) {
    }

    private final LocalDeployment stack;
    private final SimulatedAws sim;
    private final PrintStream out;
    private int printed;

    private Demo(LocalDeployment stack, PrintStream out) {
        this.stack = stack;
        this.sim = stack.simulation();
        this.out = out;
    }

    public static Outcome run(Checkout checkout, PrintStream out) {
        requireNode(checkout);
        SimulatedAws sim = SimulatedAws.fromBundledWorld("default");
        return new Demo(new LocalDeployment(checkout, sim, Map.of()), out).story();
    }

    /** The demo runs the state machines with Node: say in one line what is missing. */
    static void requireNode(Checkout checkout) {
        if (!Files.isDirectory(checkout.statemachines().resolve("node_modules/aws-local-stepfunctions"))) {
            throw new UsageException("statemachines/node_modules is missing: run `npm ci` in " + checkout.statemachines()
                    + " (the Maven build does it: ./mvnw -B -q install -DskipTests)", 1);
        }
        String override = System.getenv("CACHEKEEPER_NODE");
        boolean found = override != null && !override.isBlank() ? Files.isExecutable(Path.of(override))
                : java.util.Arrays.stream(Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator))
                        .anyMatch(dir -> !dir.isBlank() && Files.isExecutable(Path.of(dir, "node")));
        if (!found) {
            throw new UsageException("node was not found on PATH (or CACHEKEEPER_NODE): install Node.js 20 or newer;"
                    + " the demo runs the state machines with it", 1);
        }
    }

    private Outcome story() {
        out.println("cachekeeper demo: template.yaml deployed on a simulated account (" + sim.accountId() + ", "
                + sim.region() + "); no AWS credentials, no network.");
        out.println("World: " + PROTECTED_GROUP + " (Multi-AZ Valkey, tagged cachekeeper:protect=true), " + CARELESS_DELETE
                + " (cluster-mode Redis, not tagged), a standalone cluster and a serverless cache.");
        String notifications = stack.template().resources().containsKey("NotificationTopic")
                ? stack.ref("NotificationTopic") : null;
        if (notifications != null) {
            // What the README asks operators to do: point every node-based cache at the stack's topic.
            for (String id : List.of(PROTECTED_GROUP, CARELESS_DELETE, "legacy-memcache-free")) {
                sim.elastiCache().setNotificationTopic(id, notifications);
            }
            out.println("The caches' ElastiCache notifications go to the stack's topic " + notifications + ".");
        }
        stack.startRouting();

        step("1. Multi-AZ failover of " + PROTECTED_GROUP + " shard 0001 (the primary's host fails)");
        String newPrimary = sim.elastiCache().failover(PROTECTED_GROUP, "0001");
        stack.note("world", "ElastiCache promoted " + newPrimary);
        stack.drain();
        stack.advance(Duration.ofMinutes(20));
        flush();

        step("2. The nightly backup window: automatic snapshots are taken");
        Instant window = sim.now().atZone(ZoneOffset.UTC).toLocalDate().atTime(4, 30).toInstant(ZoneOffset.UTC);
        if (!window.isAfter(sim.now())) {
            window = window.plus(Duration.ofDays(1));
        }
        stack.advanceTo(window);
        stack.advance(Duration.ofMinutes(30));
        flush();

        step("3. Safe destroy of " + PROTECTED_GROUP + ": an operator puts 'Cache Destroy Requested' on the bus");
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("cacheKind", "replication-group");
        request.put("cacheId", PROTECTED_GROUP);
        request.put("requester", LocalDeployment.OPERATOR);
        request.put("reason", "replaced by orders-v2");
        request.put("deleteAfterSnapshot", true);
        request.put("finalSnapshot", true);
        stack.note("operator", "PutEvents cachekeeper.request / Cache Destroy Requested " + PROTECTED_GROUP);
        stack.putEvent(stack.busName(), "cachekeeper.request", "Cache Destroy Requested", request);
        stack.drain();
        stack.advance(Duration.ofMinutes(30));
        flush();

        step("4. Unguarded delete: someone deletes " + CARELESS_DELETE + " by hand, without a final snapshot");
        stack.note("operator", "DeleteReplicationGroup " + CARELESS_DELETE + " (no FinalSnapshotIdentifier)");
        stack.actAs(LocalDeployment.OPERATOR, () -> sim.elastiCache().deleteReplicationGroup(
                r -> r.replicationGroupId(CARELESS_DELETE)));
        stack.drain();
        stack.advance(Duration.ofMinutes(30));
        flush();

        step("5. Restore " + PROTECTED_GROUP + "'s data into a new group " + RESTORED_GROUP);
        String restoreStatus = restore();
        flush();

        Outcome outcome = outcome(restoreStatus);
        summary(outcome);
        return outcome;
    }

    private String restore() {
        String machine = stack.stateMachineIds().stream()
                .filter(id -> String.valueOf(stack.template().effectiveProperties(id).get("DefinitionUri"))
                        .endsWith("restore.asl.json"))
                .findFirst().orElse(null);
        if (machine == null) {
            stack.note("skipped", "template.yaml has no restore state machine (statemachines/restore.asl.json) yet");
            return "NOT DEPLOYED";
        }
        ObjectNode input = Json.MAPPER.createObjectNode();
        input.put("latestSnapshotOf", PROTECTED_GROUP);
        input.put("targetReplicationGroupId", RESTORED_GROUP);
        input.put("verify", false); // the verifier needs a reachable Valkey/Redis; the simulation has no data plane
        input.put("note", "demo: bring orders-cache's data back after its safe destroy");
        stack.note("operator", "StartExecution " + machine + " " + input);
        ExecutionResult r = stack.startExecution(machine, input, "operator");
        stack.drain();
        return r.status().name();
    }

    private void step(String title) {
        out.println();
        out.println("== " + title);
    }

    private void flush() {
        List<LocalDeployment.Entry> entries = stack.journal();
        for (LocalDeployment.Entry e : entries.subList(printed, entries.size())) {
            out.printf("  %s  %-13s %s%n", TIME.format(e.at()), e.kind(), e.text());
        }
        printed = entries.size();
    }

    private Outcome outcome(String restoreStatus) {
        Map<String, List<String>> alerts = new TreeMap<>();
        for (PublishedMessage m : sim.sns().published(stack.alertTopicArn())) {
            if (m.publishedBy().equals("api")) {
                alerts.computeIfAbsent(m.attributes().getOrDefault("severity", "UNKNOWN"), k -> new ArrayList<>())
                        .add(m.subject());
            }
        }
        Map<String, List<String>> snapshots = new LinkedHashMap<>();
        snapshots.put("automatic", new ArrayList<>());
        snapshots.put("manual", new ArrayList<>());
        snapshots.put("cachekeeper", new ArrayList<>());
        JsonNode world = sim.worldSnapshot();
        for (String part : List.of("snapshots", "serverlessSnapshots")) {
            for (JsonNode s : world.path(part)) {
                String name = s.path("name").asText();
                boolean automated = s.path("source").asText(s.path("type").asText()).equals("automated");
                boolean ours = name.startsWith("cachekeeper-")
                        && "true".equals(s.path("tags").path("cachekeeper:managed").asText());
                snapshots.get(automated ? "automatic" : ours ? "cachekeeper" : "manual").add(name);
            }
        }
        List<String> verdicts = new ArrayList<>();
        for (LocalDeployment.Invocation i : stack.invocations()) {
            if (i.functionId().equals("DestroyAuditFunction") && i.result().ok()) {
                verdicts.add(i.result().output().path("cacheId").asText() + ": "
                        + i.result().output().path("verdict").asText());
            }
        }
        String safeDestroy = stack.executions().stream()
                .filter(e -> e.stateMachineId().equals("SafeDestroyStateMachine"))
                .map(e -> e.result().status().name()).findFirst().orElse("NOT RUN");
        return new Outcome(alerts, snapshots, verdicts, safeDestroy, restoreStatus);
    }

    private void summary(Outcome o) {
        out.println();
        out.println("== Summary at " + TIME.format(sim.now()));
        int total = o.alertsBySeverity().values().stream().mapToInt(List::size).sum();
        out.println("Alerts on " + stack.alertTopicArn() + ": " + total);
        o.alertsBySeverity().forEach((severity, subjects) -> {
            out.println("  " + severity + " (" + subjects.size() + ")");
            subjects.forEach(s -> out.println("    - " + s));
        });
        out.println("Snapshots:");
        o.snapshotsByKind().forEach((kind, names) -> out.println("  " + kind + " (" + names.size() + "): "
                + String.join(", ", names)));
        out.println("Delete audits: " + (o.auditVerdicts().isEmpty() ? "none" : String.join("; ", o.auditVerdicts())));
        out.println("Safe destroy: " + o.safeDestroyStatus() + "; restore: " + o.restoreStatus());
        long failed = stack.invocations().stream().filter(i -> !i.result().ok()).count();
        out.println("Function invocations: " + stack.invocations().size() + " (" + failed + " failed); state machine"
                + " executions: " + stack.executions().size() + "; AWS calls: " + sim.calls().size());
    }

}
