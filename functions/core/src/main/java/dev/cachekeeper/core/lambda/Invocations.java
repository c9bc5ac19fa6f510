package dev.cachekeeper.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.function.Supplier;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;

/** What every handler does around its one call to a service: JSON logging context, and metrics flushed always. */
public final class Invocations {
    private Invocations() {
    }

    public static <T> T run(Context context, Metrics metrics, Supplier<T> work) {
        try {
            return PowertoolsLogging.withLogging(context, work);
        } finally {
            metrics.flush();
        }
    }
}
