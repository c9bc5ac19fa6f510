package dev.cachekeeper.audit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.event.BusEvent;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.lambda.Invocations;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;

/** Rule target for {@code Cache Delete Called} and {@code Cache Deleted}: audits the delete. */
public final class DestroyAuditHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final DeleteAuditor auditor;
    private final Metrics metrics;

    public DestroyAuditHandler() {
        DestroyAuditComponent component = DaggerDestroyAuditComponent.create();
        this.auditor = component.auditor();
        this.metrics = component.metrics();
    }

    public DestroyAuditHandler(DeleteAuditor auditor, Metrics metrics) {
        this.auditor = auditor;
        this.metrics = metrics;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        // A map, not the record: Lambda's own serializer reads bean getters, which records do not have.
        return Json.MAPPER.convertValue(audit(event, context), MAP);
    }

    /** The audit's result as a record, for tests. */
    public AuditResult audit(ScheduledEvent event, Context context) {
        return Invocations.run(context, metrics, () -> {
            BusEvent bus;
            try {
                bus = BusEvent.from(event);
            } catch (MalformedEventException e) {
                return new AuditResult(AuditVerdict.IGNORED, null, null, null, null, false, e.getMessage());
            }
            return auditor.audit(bus);
        });
    }
}
