package dev.cachekeeper.failover;

import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.BusEvent;
import dev.cachekeeper.core.event.CacheEvent;
import dev.cachekeeper.core.event.CacheEvents;
import dev.cachekeeper.core.event.CacheKind;
import dev.cachekeeper.core.event.DetailTypes;
import dev.cachekeeper.core.event.Origin;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import dev.cachekeeper.simulation.PublishedMessage;
import dev.cachekeeper.simulation.SimulatedAws;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A simulated account with the observer wired to it the way the Dagger module wires it in Lambda. */
final class FailoverScenario {
    static final String TABLE = "cachekeeper-dedupe";

    final SimulatedAws aws;
    final String topicArn;
    final RecordingMetrics metrics = new RecordingMetrics();
    final FailoverObserver observer;

    FailoverScenario(SimulatedAws aws) {
        this.aws = aws;
        this.topicArn = aws.sns().topic("cachekeeper-alerts");
        Settings settings = new Settings(Map.of(Settings.TABLE_NAME, TABLE, Settings.ALERT_TOPIC_ARN, topicArn));
        Retrier retrier = Retrier.standard(aws.clock(), aws::advance);
        this.observer = FailoverObserverModule.create(settings, aws.clock(), retrier, aws.elastiCache(), aws.sns(),
                aws.dynamoDb(), metrics);
    }

    static FailoverScenario defaultWorld() {
        return new FailoverScenario(SimulatedAws.fromBundledWorld("default"));
    }

    /** The project's alerts (not ElastiCache's own notifications on its topic). */
    List<PublishedMessage> alerts() {
        return aws.sns().published(topicArn).stream().filter(m -> "api".equals(m.publishedBy())).toList();
    }

    /**
     * orders-cache (default world) fails over at {@code at}, from orders-cache-001 to orders-cache-002; returns the
     * completion as ingest would put it on the bus.
     */
    CacheEvent failOverOrdersCacheAt(Instant at) {
        aws.advanceTo(at);
        String now = aws.elastiCache().failover("orders-cache", "0001");
        return completed("orders-cache", "0001", at, "orders-cache-001", now).build();
    }

    /** What the handler's flush after each invocation would have written. */
    List<RecordingMetrics.Datum> flushedMetrics() {
        metrics.flush();
        return metrics.flushed();
    }

    double metric(String name) {
        metrics.flush();
        return metrics.sum(name);
    }

    static CacheEvent.Builder completed(String group, String shard, Instant at, String previous, String now) {
        return CacheEvent.builder(CacheKind.REPLICATION_GROUP, group, at, Origin.DESCRIBE_EVENTS)
                .shardId(shard).nodeId(now).previousPrimary(previous).newPrimary(now)
                .message(previous == null ? "Failover to replica node " + now + " completed"
                        : "Failover from primary node " + previous + " to replica node " + now + " completed")
                .dedupKey(CacheEvents.dedupKey(DetailTypes.FAILOVER_COMPLETED, group, shard, now, at.toString()));
    }

    static CacheEvent started(String group, String shard, Instant at) {
        return CacheEvent.builder(CacheKind.REPLICATION_GROUP, group, at, Origin.DESCRIBE_EVENTS)
                .shardId(shard).message("Test Failover API called for node group " + shard)
                .dedupKey(CacheEvents.dedupKey(DetailTypes.FAILOVER_STARTED, group, shard, at.toString()))
                .build();
    }

    static BusEvent onBus(String detailType, CacheEvent e) {
        return BusEvent.parse(BusEvent.envelope(detailType, DetailTypes.SOURCE, e.time(), CacheEvents.toDetail(e)));
    }

    FailoverObserver.Result complete(CacheEvent e) {
        return observer.handle(onBus(DetailTypes.FAILOVER_COMPLETED, e));
    }

    FailoverObserver.Result start(CacheEvent e) {
        return observer.handle(onBus(DetailTypes.FAILOVER_STARTED, e));
    }
}
