package dev.cachekeeper.core.metrics;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricResolution;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * A {@link Metrics} that keeps what it was given instead of writing EMF, for tests and the local runner's report.
 * Each flush closes one record: its metrics and the dimensions they carried.
 */
public final class RecordingMetrics implements Metrics {
    public record Datum(String name, double value, MetricUnit unit, Map<String, String> dimensions) {
    }

    private final List<Datum> flushed = new ArrayList<>();
    private final List<Datum> pending = new ArrayList<>();
    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final Map<String, String> defaultDimensions = new LinkedHashMap<>();

    public synchronized List<Datum> flushed() {
        return List.copyOf(flushed);
    }

    public synchronized double sum(String name) {
        return flushed.stream().filter(d -> d.name().equals(name)).mapToDouble(Datum::value).sum();
    }

    @Override
    public synchronized void addMetric(String key, double value, MetricUnit unit, MetricResolution resolution) {
        pending.add(new Datum(key, value, unit, Map.of()));
    }

    @Override
    public synchronized void addDimension(DimensionSet dimensionSet) {
        dimensions.putAll(dimensionSet.getDimensions());
    }

    @Override
    public void setTimestamp(java.time.Instant timestamp) {
    }

    @Override
    public void addMetadata(String key, Object value) {
    }

    @Override
    public synchronized void setDefaultDimensions(DimensionSet dimensionSet) {
        defaultDimensions.clear();
        defaultDimensions.putAll(dimensionSet.getDimensions());
    }

    @Override
    public synchronized DimensionSet getDefaultDimensions() {
        DimensionSet set = new DimensionSet();
        defaultDimensions.forEach(set::addDimension);
        return set;
    }

    @Override
    public void setNamespace(String namespace) {
    }

    @Override
    public void setRaiseOnEmptyMetrics(boolean raiseOnEmptyMetrics) {
    }

    @Override
    public synchronized void clearDefaultDimensions() {
        defaultDimensions.clear();
    }

    @Override
    public synchronized void flush() {
        Map<String, String> dims = new LinkedHashMap<>(defaultDimensions);
        dims.putAll(dimensions);
        for (Datum d : pending) {
            flushed.add(new Datum(d.name(), d.value(), d.unit(), Map.copyOf(dims)));
        }
        pending.clear();
        dimensions.clear();
    }

    @Override
    public void captureColdStartMetric(Context context, DimensionSet dimensions) {
    }

    @Override
    public void captureColdStartMetric(DimensionSet dimensions) {
    }

    @Override
    public synchronized void flushMetrics(Consumer<Metrics> metricsConsumer) {
        metricsConsumer.accept(this);
        flush();
    }
}
