package dev.cachekeeper.core.metrics;

import com.amazonaws.services.lambda.runtime.Context;
import dev.cachekeeper.core.lambda.PrimingInterceptor;
import java.time.Instant;
import java.util.function.Consumer;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricResolution;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The function's metrics, except that nothing recorded while SnapStart priming runs reaches CloudWatch: the
 * warm-up's AWS calls are answered in memory or stopped, so whatever it would count never happened. An invocation
 * that counted nothing (a restore plan, say) flushes nothing: Powertools would log a "No metrics were emitted"
 * warning after every such invocation, outside its logging context, and emit nothing either way. Priming's flush
 * serializes a throwaway document instead ({@link EmfWarmUp}), so the first real one finds the writer ready.
 */
public final class PrimingAwareMetrics implements Metrics {
    private final Metrics delegate;
    private volatile boolean added; // set on whichever thread counts, read on the invocation's own thread
    private volatile boolean raiseOnEmptyMetrics;

    public PrimingAwareMetrics(Metrics delegate) {
        this.delegate = delegate;
    }

    private static boolean priming() {
        return PrimingInterceptor.active();
    }

    @Override
    public void addMetric(String key, double value, MetricUnit unit, MetricResolution resolution) {
        if (!priming()) {
            delegate.addMetric(key, value, unit, resolution);
            added = true;
        }
    }

    @Override
    public void addDimension(DimensionSet dimensionSet) {
        if (!priming()) {
            delegate.addDimension(dimensionSet);
        }
    }

    @Override
    public void setTimestamp(Instant timestamp) {
        if (!priming()) {
            delegate.setTimestamp(timestamp);
        }
    }

    @Override
    public void addMetadata(String key, Object value) {
        if (!priming()) {
            delegate.addMetadata(key, value);
        }
    }

    @Override
    public void setDefaultDimensions(DimensionSet dimensionSet) {
        delegate.setDefaultDimensions(dimensionSet);
    }

    @Override
    public DimensionSet getDefaultDimensions() {
        return delegate.getDefaultDimensions();
    }

    @Override
    public void setNamespace(String namespace) {
        delegate.setNamespace(namespace);
    }

    @Override
    public void setRaiseOnEmptyMetrics(boolean raiseOnEmptyMetrics) {
        this.raiseOnEmptyMetrics = raiseOnEmptyMetrics;
        delegate.setRaiseOnEmptyMetrics(raiseOnEmptyMetrics);
    }

    @Override
    public void clearDefaultDimensions() {
        delegate.clearDefaultDimensions();
    }

    @Override
    public void flush() {
        if (priming()) {
            EmfWarmUp.once();
            return;
        }
        if (added || raiseOnEmptyMetrics) {
            delegate.flush();
            added = false;
        }
    }

    /**
     * No handler calls this: cold starts are read from the logs' {@code cold_start} field. Powertools decides here
     * from its own flag, which on a SnapStart version never says "cold" (see {@code Invocations}), so calling it
     * as it is would emit no ColdStart metric at all.
     */
    @Override
    public void captureColdStartMetric(Context context, DimensionSet dimensions) {
        if (!priming()) {
            delegate.captureColdStartMetric(context, dimensions);
        }
    }

    @Override
    public void captureColdStartMetric(DimensionSet dimensions) {
        if (!priming()) {
            delegate.captureColdStartMetric(dimensions);
        }
    }

    @Override
    public void flushMetrics(Consumer<Metrics> metricsConsumer) {
        if (!priming()) {
            delegate.flushMetrics(metricsConsumer);
        }
    }
}
