package dev.cachekeeper.restore;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.alert.Alert;
import dev.cachekeeper.core.alert.AlertPublisher;
import dev.cachekeeper.core.alert.Severity;
import dev.cachekeeper.core.event.Truncate;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of every execution: turns the state the execution gathered into the result an operator reads
 * (endpoint, snapshot, time taken, verification, or the reason and what cleanup did) and announces it on SNS.
 */
public final class RestoreNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreNotifier.class);
    public static final String EVENT_SUCCEEDED = "Restore Succeeded";
    public static final String EVENT_FAILED = "Restore Failed";

    private final AlertPublisher alerts;
    private final Clock clock;
    private final boolean stackDryRun;

    /** @param stackDryRun the stack's DryRun: every restore is a dry run, and a dry run's refusal pages nobody */
    public RestoreNotifier(AlertPublisher alerts, Clock clock, boolean stackDryRun) {
        this.alerts = alerts;
        this.clock = clock;
        this.stackDryRun = stackDryRun;
    }

    /**
     * @param state the execution's state: {plan?, describe?, verification?, error?, cleanup?} plus the raw input
     */
    public ObjectNode succeeded(JsonNode state) {
        JsonNode plan = state.path("plan");
        JsonNode group = state.path("describe").path("group");
        ObjectNode result = base(state, "SUCCEEDED");
        Endpoints.of(group).into(result);
        String target = result.path("replicationGroupId").asText();
        StringBuilder body = new StringBuilder();
        body.append("Replication group ").append(target).append(" was restored and is available.\n\n");
        if (result.has("primaryEndpoint")) {
            body.append("Primary endpoint: ").append(result.path("primaryEndpoint").asText()).append('\n');
        }
        if (result.has("readerEndpoint")) {
            body.append("Reader endpoint: ").append(result.path("readerEndpoint").asText()).append('\n');
        }
        if (result.has("configurationEndpoint")) {
            body.append("Configuration endpoint: ").append(result.path("configurationEndpoint").asText()).append('\n');
        }
        details(body, state, result);
        JsonNode verification = state.path("verification");
        body.append("Verification: ").append(plan.path("verify").path("enabled").asBoolean(false)
                ? verification.path("summary").asText("(no result)") : "not requested").append('\n');
        body.append("\nNext: point the application (config or a DNS CNAME) at the primary endpoint; see the README's "
                + "restore runbook for cutting over and for the old group.\n");
        result.put("alertMessageId", publish(new Alert(Severity.INFO, "restore of " + target + " succeeded",
                body.toString(), target, EVENT_SUCCEEDED)));
        LOG.info("restore succeeded", entry("cacheId", target), entry("minutesTaken", result.path("minutesTaken")));
        return result;
    }

    public ObjectNode failed(JsonNode state) {
        ObjectNode result = base(state, "FAILED");
        String target = result.path("replicationGroupId").asText("(unknown)");
        JsonNode error = state.path("error");
        String errorName = error.path("Error").asText("RestoreFailed");
        String reason = reason(error);
        result.put("error", errorName);
        result.put("reason", reason);
        JsonNode cleanup = state.path("cleanup");
        if (cleanup.isObject()) {
            result.set("cleanup", cleanup);
        }
        if (dryRun(state)) {
            // The operator who asked for the preview reads the execution's result; a preview must not page anyone.
            result.put("dryRun", true);
            result.put("alert", "not sent: dry run");
            LOG.info("dry run: the restore would fail", entry("cacheId", target), entry("errorName", errorName),
                    entry("reason", reason), entry("dryRun", true));
            return result;
        }
        StringBuilder body = new StringBuilder();
        body.append("The restore into ").append(target).append(" FAILED.\n\n");
        body.append("Reason: ").append(errorName).append(": ").append(reason).append('\n');
        String cleanupText = cleanup.isObject()
                ? cleanup.path("action").asText() + " - " + cleanup.path("detail").asText()
                : state.path("cleanupError").isObject()
                ? "FAILED (" + reason(state.path("cleanupError")) + "): check replication group " + target + " by hand"
                : "nothing was created";
        body.append("Cleanup: ").append(cleanupText).append('\n');
        details(body, state, result);
        if (state.path("verification").isObject()) {
            body.append("Verification: ").append(state.path("verification").path("summary").asText()).append('\n');
        }
        result.put("alertMessageId", publish(new Alert(Severity.CRITICAL, "restore of " + target + " failed",
                body.toString(), target, EVENT_FAILED)));
        LOG.warn("restore failed", entry("cacheId", target), entry("errorName", errorName), entry("reason", reason),
                entry("cleanup", cleanup.path("action").asText("none")));
        return result;
    }

    /** The stack's DryRun, or the input's own {@code "dryRun": true} (read raw: planning may have refused it). */
    private boolean dryRun(JsonNode state) {
        JsonNode asked = state.path("dryRun");
        return stackDryRun || (asked.isBoolean() && asked.booleanValue());
    }

    private ObjectNode base(JsonNode state, String status) {
        JsonNode plan = state.path("plan");
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("status", status);
        String target = plan.path("targetReplicationGroupId").asText(null);
        if (target == null && state.path("targetReplicationGroupId").isTextual()) {
            target = state.path("targetReplicationGroupId").asText(); // the raw input, when planning failed
        }
        if (target != null) {
            result.put("replicationGroupId", target);
        }
        if (plan.has("snapshotName")) {
            result.put("snapshotName", plan.path("snapshotName").asText());
        }
        Instant now = clock.instant();
        Instant started = instant(plan.path("startedAt").asText(null));
        if (started != null) {
            result.put("startedAt", started.toString());
            result.put("minutesTaken", Math.round(Duration.between(started, now).toSeconds() / 6.0) / 10.0);
        }
        result.put("finishedAt", now.toString());
        if (state.path("verification").isObject()) {
            result.set("verification", state.get("verification"));
        }
        if (plan.path("warnings").isArray() && !plan.path("warnings").isEmpty()) {
            result.set("warnings", plan.get("warnings"));
        }
        return result;
    }

    private static void details(StringBuilder body, JsonNode state, ObjectNode result) {
        JsonNode plan = state.path("plan");
        if (result.has("snapshotName")) {
            body.append("Snapshot: ").append(result.path("snapshotName").asText());
            if (plan.has("snapshotTakenAt")) {
                body.append(" (taken ").append(plan.path("snapshotTakenAt").asText()).append(')');
            }
            body.append('\n');
        }
        if (result.has("minutesTaken")) {
            body.append("Time taken: ").append(result.path("minutesTaken").asText()).append(" minutes\n");
        }
        for (JsonNode w : plan.path("warnings")) {
            body.append("Warning: ").append(w.asText()).append('\n');
        }
        String note = plan.path("note").asText(state.path("note").asText(null));
        if (note != null) {
            body.append("Note: ").append(Truncate.of(note, 1000)).append('\n');
        }
        body.append("Execution: ").append(plan.path("executionId").asText(state.path("executionId").asText("-")))
                .append('\n');
    }

    /** A Lambda error's Cause is the JSON the runtime wrote ({errorMessage, errorType, stackTrace}); others are text. */
    static String reason(JsonNode error) {
        String cause = error.path("Cause").asText("");
        if (cause.startsWith("{")) {
            try {
                JsonNode parsed = Json.MAPPER.readTree(cause);
                if (parsed.hasNonNull("errorMessage")) {
                    return Truncate.of(parsed.get("errorMessage").asText(), 2000);
                }
            } catch (IOException e) {
                // not JSON after all: keep the text
            }
        }
        return cause.isEmpty() ? "(no cause given)" : Truncate.of(cause, 2000);
    }

    private String publish(Alert alert) {
        try {
            return alerts.publish(alert);
        } catch (RuntimeException e) {
            // The result still says what happened; the execution history keeps it even if SNS is down.
            LOG.error("restore alert could not be published", entry("cacheId", alert.cacheId()),
                    entry("errorMessage", e.toString()));
            return "not-published: " + Truncate.of(String.valueOf(e.getMessage()), 200);
        }
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The endpoints of a described group (PascalCase JSON, as the SDK integration returns it). */
    record Endpoints(String primary, String reader, String configuration) {
        static Endpoints of(JsonNode group) {
            JsonNode ng = group.path("NodeGroups").path(0);
            return new Endpoints(hostPort(ng.path("PrimaryEndpoint")), hostPort(ng.path("ReaderEndpoint")),
                    hostPort(group.path("ConfigurationEndpoint")));
        }

        void into(ObjectNode result) {
            if (primary != null) {
                result.put("primaryEndpoint", primary);
            }
            if (reader != null) {
                result.put("readerEndpoint", reader);
            }
            if (configuration != null) {
                result.put("configurationEndpoint", configuration);
            }
        }

        private static String hostPort(JsonNode endpoint) {
            String address = endpoint.path("Address").asText(null);
            if (address == null) {
                return null;
            }
            return endpoint.has("Port") ? address + ":" + endpoint.path("Port").asInt() : address;
        }
    }
}
