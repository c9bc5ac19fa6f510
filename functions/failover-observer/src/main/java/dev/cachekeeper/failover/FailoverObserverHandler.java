package dev.cachekeeper.failover;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.cachekeeper.core.event.BusEvent;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.lambda.Priming;
import dev.cachekeeper.core.lambda.PrimingEvents;
import dev.cachekeeper.core.lambda.StreamHandlers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * Target of the rule for {@code Failover Started} and {@code Failover Completed} on the cachekeeper bus. A stream
 * handler so the runtime does not load its own serializer at cold start ({@link StreamHandlers}).
 */
public final class FailoverObserverHandler implements RequestStreamHandler {
    private final FailoverObserver observer;
    /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
    private Priming priming;

    public FailoverObserverHandler() {
        this(DaggerFailoverObserverComponent.create().observer());
        priming = StreamHandlers.prime(this, PrimingEvents.bytes("cachekeeper-failover-completed.json"),
                observer::warmUpBeyondEmptyAnswers);
    }

    public FailoverObserverHandler(FailoverObserver observer) {
        this.observer = observer;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StreamHandlers.busEvent(input, output, context, observer.metrics(), this::observe, this::malformed);
    }

    /** The same, from the event type aws-lambda-java-tests loads. */
    public Map<String, Object> handle(ScheduledEvent event, Context context) {
        return StreamHandlers.busEvent(event, context, observer.metrics(), this::observe, this::malformed);
    }

    private Map<String, Object> observe(BusEvent event) {
        return observer.handle(event).toMap();
    }

    private Map<String, Object> malformed(MalformedEventException bad, String raw) {
        return observer.malformed(bad, raw).toMap();
    }
}
