package dev.cachekeeper.failover;

import dagger.Module;
import dagger.Provides;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.alert.AlertPublisher;
import dev.cachekeeper.core.aws.EventLedger;
import dev.cachekeeper.core.aws.Retrier;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.lambda.powertools.metrics.Metrics;

@Module
final class FailoverObserverModule {
    /** How far back DescribeEvents is searched for the start of a failover whose start event was missed. */
    static final String LOOKBACK = "CACHEKEEPER_FAILOVER_LOOKBACK";
    static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(60);

    private FailoverObserverModule() {
    }

    @Provides
    static FailoverObserver observer(Settings settings, Clock clock, Retrier retrier, ElastiCacheClient elastiCache,
                                     SnsClient sns, DynamoDbClient dynamo, Metrics metrics) {
        return create(settings, clock, retrier, elastiCache, sns, dynamo, metrics);
    }

    /** The same wiring for tests and the local runner, which pass the simulated clients. */
    static FailoverObserver create(Settings settings, Clock clock, Retrier retrier, ElastiCacheClient elastiCache,
                                   SnsClient sns, DynamoDbClient dynamo, Metrics metrics) {
        EventLedger ledger = new EventLedger(dynamo, settings.tableName(), clock, retrier);
        return new FailoverObserver(ledger, new TopologyCheck(elastiCache, retrier),
                new FailoverStarts(ledger, elastiCache, retrier, settings.duration(LOOKBACK, DEFAULT_LOOKBACK)),
                new AlertPublisher(sns, settings.alertTopicArn(), retrier), metrics);
    }
}
