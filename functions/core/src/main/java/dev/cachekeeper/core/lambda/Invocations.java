package dev.cachekeeper.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.logging.internal.PowertoolsLoggedFields;
import software.amazon.lambda.powertools.metrics.Metrics;

/** What every handler does around its one call to a service: JSON logging context, and metrics flushed always. */
public final class Invocations {
    /**
     * True until the first real invocation of this execution environment has started. Powertools' own flag cannot
     * say this: in 2.9.0 it reports a cold start only when {@code AWS_LAMBDA_INITIALIZATION_TYPE} is
     * {@code on-demand}, so never for our SnapStart versions ({@code snap-start}) nor where the variable is unset
     * (local runner, benchmark), and it is spent by the first {@code withLogging} call, which would be priming's.
     * Priming's warm-up does not count here, and a restored snapshot still holds {@code true}: after a restore the
     * first real invocation is the cold start.
     */
    private static final AtomicBoolean COLD = new AtomicBoolean(true);

    private Invocations() {
    }

    public static <T> T run(Context context, Metrics metrics, Supplier<T> work) {
        boolean coldStart = !PrimingInterceptor.active() && COLD.getAndSet(false);
        try {
            return PowertoolsLogging.withLogging(context, () -> {
                // Replaces the value withLogging just put; withLogging clears the MDC again when the work ends.
                MDC.put(PowertoolsLoggedFields.FUNCTION_COLD_START.getName(), String.valueOf(coldStart));
                return work.get();
            });
        } finally {
            metrics.flush();
        }
    }

    /** A fresh execution environment again; for tests, which run many "first" invocations in one JVM. */
    static void resetColdStart() {
        COLD.set(true);
    }
}
