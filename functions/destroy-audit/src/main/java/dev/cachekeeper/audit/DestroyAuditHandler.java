package dev.cachekeeper.audit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.lambda.Priming;
import dev.cachekeeper.core.lambda.PrimingEvents;
import dev.cachekeeper.core.lambda.StreamHandlers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * Rule target for {@code Cache Delete Called} and {@code Cache Deleted}: audits the delete. A stream handler so the
 * runtime does not load its own serializer at cold start ({@link StreamHandlers}); answers with the
 * {@link AuditResult} as JSON.
 */
public final class DestroyAuditHandler implements RequestStreamHandler {
    private final DeleteAuditor auditor;
    private final Metrics metrics;
    /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
    private Priming priming;

    public DestroyAuditHandler() {
        DestroyAuditComponent component = DaggerDestroyAuditComponent.create();
        this.auditor = component.auditor();
        this.metrics = component.metrics();
        priming = StreamHandlers.prime(this,
                PrimingEvents.bytes("cachekeeper-cache-delete-called-no-final-snapshot.json"));
    }

    public DestroyAuditHandler(DeleteAuditor auditor, Metrics metrics) {
        this.auditor = auditor;
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StreamHandlers.busEvent(input, output, context, metrics, auditor::audit, DestroyAuditHandler::ignored);
    }

    /** The audit's result as a record, from the event type aws-lambda-java-tests loads. */
    public AuditResult audit(ScheduledEvent event, Context context) {
        return StreamHandlers.busEvent(event, context, metrics, auditor::audit, DestroyAuditHandler::ignored);
    }

    private static AuditResult ignored(MalformedEventException e, String raw) {
        return new AuditResult(AuditVerdict.IGNORED, null, null, null, null, false, e.getMessage());
    }
}
