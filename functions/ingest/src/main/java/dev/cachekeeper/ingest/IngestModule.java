package dev.cachekeeper.ingest;

import dagger.Module;
import dagger.Provides;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.aws.EventLedger;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.event.EventBusPublisher;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.lambda.powertools.metrics.Metrics;

@Module
final class IngestModule {
    private IngestModule() {
    }

    @Provides
    @Singleton
    static IngestConfig config(Settings settings) {
        return IngestConfig.from(settings);
    }

    @Provides
    @Singleton
    static EventLedger ledger(DynamoDbClient dynamo, Settings settings, Clock clock, Retrier retrier) {
        return new EventLedger(dynamo, settings.tableName(), clock, retrier);
    }

    @Provides
    @Singleton
    static EventBusPublisher publisher(EventBridgeClient eventBridge, Settings settings, Retrier retrier,
                                       Retrier.Sleeper sleeper) {
        return new EventBusPublisher(eventBridge, settings.busName(), retrier, sleeper);
    }

    @Provides
    @Singleton
    static IngestDispatcher dispatcher(ElastiCacheClient elastiCache, EventLedger ledger, EventBusPublisher publisher,
                                       IngestConfig config, Clock clock, Retrier retrier, Metrics metrics) {
        return IngestWiring.dispatcher(elastiCache, ledger, publisher, config, clock, retrier, metrics);
    }
}
