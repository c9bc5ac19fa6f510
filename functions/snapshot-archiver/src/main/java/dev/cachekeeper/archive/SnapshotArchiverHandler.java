package dev.cachekeeper.archive;

import dev.cachekeeper.core.lambda.PrimingEvents;
import dev.cachekeeper.core.lambda.Priming;
import dev.cachekeeper.core.lambda.StreamHandlers;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.event.BusEvent;
import dev.cachekeeper.core.event.DetailTypes;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.event.Truncate;
import dev.cachekeeper.core.lambda.Invocations;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

/**
 * The archiver's Lambda entry point. Three inputs:
 * <ul>
 *   <li>{@code Snapshot Completed} from the cachekeeper bus: copy that snapshot;</li>
 *   <li>the daily {@code Scheduled Event}: sweep;</li>
 *   <li>a direct invoke {@code {"action":"sweep","dryRun":true}}: sweep on demand.</li>
 * </ul>
 * It reads a plain map rather than a ScheduledEvent because the on-demand invoke is not an EventBridge envelope; a
 * stream handler so the runtime does not load its own serializer at cold start ({@link StreamHandlers}).
 * An event's {@code dryRun} can only switch dry-run on, never off when the stack has it on.
 */
public final class SnapshotArchiverHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotArchiverHandler.class);
    public static final String SWEEP = "sweep";

    private final SnapshotArchiver archiver;
    private final Metrics metrics;
    /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
    private Priming priming;

    public SnapshotArchiverHandler() {
        this(DaggerArchiverComponent.create());
        priming = StreamHandlers.prime(this, PrimingEvents.bytes("cachekeeper-snapshot-completed-automatic.json"));
    }

    private SnapshotArchiverHandler(ArchiverComponent component) {
        this(component.archiver(), component.metrics());
    }

    public SnapshotArchiverHandler(SnapshotArchiver archiver, Metrics metrics) {
        this.archiver = archiver;
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] bytes = input.readAllBytes();
        Map<String, Object> map;
        try {
            map = StreamHandlers.readMap(new ByteArrayInputStream(bytes));
        } catch (MalformedEventException e) {
            StreamHandlers.write(output, Invocations.run(context, metrics,
                    () -> rejected(e, new String(bytes, StandardCharsets.UTF_8))));
            return;
        }
        StreamHandlers.write(output, handle(map, context));
    }

    /** The same on an already-read input, as aws-lambda-java-tests' {@code @Event} loads it. */
    public Map<String, Object> handle(Map<String, Object> input, Context context) {
        return Invocations.run(context, metrics, () -> {
            try {
                return route(input, context);
            } catch (MalformedEventException e) {
                String raw;
                try {
                    raw = Json.MAPPER.writeValueAsString(input);
                } catch (Exception ignored) {
                    raw = String.valueOf(input);
                }
                return rejected(e, raw);
            }
        });
    }

    private static Map<String, Object> rejected(MalformedEventException e, String raw) {
        LOG.warn("event rejected; acknowledged without side effects", entry("reason", e.getMessage()),
                entry("input", Truncate.of(raw, 2_000)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("outcome", "rejected");
        out.put("reason", e.getMessage());
        return out;
    }

    private Map<String, Object> route(Map<String, Object> input, Context context) {
        boolean stackDryRun = archiver.settings().dryRun();
        if (input == null) {
            throw new MalformedEventException("empty input");
        }
        if (!input.containsKey("detail-type")) {
            if (SWEEP.equals(input.get("action"))) {
                return sweep(stackDryRun || flag(input.get("dryRun")), context);
            }
            throw new MalformedEventException("expected an EventBridge event or {\"action\":\"sweep\"}");
        }
        BusEvent event = BusEvent.fromMap(input);
        if (DetailTypes.SOURCE.equals(event.source()) && DetailTypes.SNAPSHOT_COMPLETED.equals(event.detailType())) {
            return archiver.archive(event.cacheEvent(), stackDryRun);
        }
        if ("Scheduled Event".equals(event.detailType())) {
            return sweep(stackDryRun || flag(event.detail().path("dryRun").asText(null)), context);
        }
        throw new MalformedEventException("the archiver handles '" + DetailTypes.SNAPSHOT_COMPLETED
                + "' and 'Scheduled Event', not '" + Truncate.of(event.detailType(), 64) + "' from '"
                + Truncate.of(event.source(), 64) + "'");
    }

    private Map<String, Object> sweep(boolean dryRun, Context context) {
        return archiver.sweep(dryRun, context::getRemainingTimeInMillis).toMap();
    }

    private static boolean flag(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.isEmpty() || s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new MalformedEventException("dryRun must be true or false, not '" + Truncate.of(s, 32) + "'");
    }
}
