package dev.cachekeeper.failover;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.cachekeeper.core.event.BusEvent;
import dev.cachekeeper.core.event.MalformedEventException;
import dev.cachekeeper.core.lambda.Invocations;
import java.util.Map;

/** Target of the rule for {@code Failover Started} and {@code Failover Completed} on the cachekeeper bus. */
public final class FailoverObserverHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final FailoverObserver observer;

    public FailoverObserverHandler() {
        this(DaggerFailoverObserverComponent.create().observer());
    }

    public FailoverObserverHandler(FailoverObserver observer) {
        this.observer = observer;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        return Invocations.run(context, observer.metrics(), () -> {
            BusEvent bus;
            try {
                bus = BusEvent.from(event);
            } catch (MalformedEventException bad) {
                return observer.malformed(bad, String.valueOf(event)).toMap();
            }
            return observer.handle(bus).toMap();
        });
    }
}
