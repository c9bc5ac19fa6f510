package dev.cachekeeper.core.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * Priming's metrics step. Nothing counted while priming may reach CloudWatch, so its flush prints nothing; without
 * this, the first real flush after a SnapStart restore would load and run the embedded-metric-format writer (its
 * document model and Jackson serializers) for the first time. This builds a document like a real flush does and
 * serializes it to a string that is thrown away.
 */
final class EmfWarmUp {
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private EmfWarmUp() {
    }

    /** Once per process; a warm-up never fails priming. */
    static void once() {
        if (DONE.compareAndSet(false, true)) {
            try {
                document();
            } catch (JsonProcessingException | RuntimeException | LinkageError ignored) {
                // The first real flush does the work instead.
            }
        }
    }

    static boolean done() {
        return DONE.get();
    }

    /** The serialized document: one JSON line, as a flush writes it. */
    static List<String> document() throws JsonProcessingException {
        MetricsContext doc = new MetricsContext();
        doc.setNamespace("cachekeeper");
        doc.setDefaultDimensions(DimensionSet.of("Service", "priming"));
        doc.putMetric("Primed", 1, Unit.COUNT);
        doc.putProperty("function_request_id", "priming");
        doc.setTimestamp(Instant.now());
        return doc.serialize();
    }
}
