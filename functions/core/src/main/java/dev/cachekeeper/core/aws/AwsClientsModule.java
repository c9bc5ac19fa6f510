package dev.cachekeeper.core.aws;

import dagger.Module;
import dagger.Provides;
import dev.cachekeeper.core.Settings;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * Dagger wiring shared by every function: generated at compile time, so no reflection or classpath scanning at
 * start-up. It hands out what the {@link AwsAccount} has — the real account in Lambda; the simulated one when the
 * local runner chose it — so {@code DaggerXComponent.create()} works in both. Clients are created on first use.
 */
@Module
public final class AwsClientsModule {
    private final AwsAccount account;

    public AwsClientsModule() {
        this(AwsAccount.current());
    }

    public AwsClientsModule(AwsAccount account) {
        this.account = account;
    }

    @Provides
    Settings settings() {
        return account.settings();
    }

    @Provides
    Clock clock() {
        return account.clock();
    }

    @Provides
    Retrier.Sleeper sleeper() {
        return account.sleeper();
    }

    @Provides
    Retrier retrier() {
        return Retrier.standard(account.clock(), account.sleeper());
    }

    @Provides
    ElastiCacheClient elastiCache() {
        return account.elastiCache();
    }

    @Provides
    SnsClient sns() {
        return account.sns();
    }

    @Provides
    EventBridgeClient eventBridge() {
        return account.eventBridge();
    }

    @Provides
    DynamoDbClient dynamoDb() {
        return account.dynamoDb();
    }

    @Provides
    Metrics metrics() {
        return account.metrics();
    }

    /** For modules that need another client: {@code module.account().client(S3Client.class)}. */
    @Provides
    AwsAccount account() {
        return account;
    }
}
