package dev.cachekeeper.restore;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import dev.cachekeeper.core.aws.EventLedger;
import dagger.Module;
import dagger.Provides;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.alert.AlertPublisher;
import dev.cachekeeper.core.aws.Retrier;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.sns.SnsClient;

/** Wiring of the restore flow's tasks; each function asks only for its own service, so only its clients are built. */
@Module
public final class RestoreModule {
    private RestoreModule() {
    }

    @Provides
    @Singleton
    static RestoreConfig config(Settings settings) {
        return RestoreConfig.from(settings);
    }

    @Provides
    static RestorePlanner planner(ElastiCacheClient elastiCache, Retrier retrier, Clock clock, RestoreConfig config) {
        return new RestorePlanner(elastiCache, retrier, clock, config);
    }

    @Provides
    static RestoreCleanup cleanup(ElastiCacheClient elastiCache, DynamoDbClient dynamo, Settings settings, Clock clock,
                                  Retrier retrier) {
        return new RestoreCleanup(elastiCache, new EventLedger(dynamo, settings.tableName(), clock, retrier), retrier);
    }

    @Provides
    static RestoreNotifier notifier(SnsClient sns, Settings settings, Retrier retrier, Clock clock) {
        return new RestoreNotifier(new AlertPublisher(sns, settings.alertTopicArn(), retrier), clock,
                settings.dryRun());
    }
}
