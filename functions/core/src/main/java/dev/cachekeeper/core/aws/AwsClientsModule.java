package dev.cachekeeper.core.aws;

import dagger.Module;
import dagger.Provides;
import dev.cachekeeper.core.Settings;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * Dagger wiring shared by every function: generated at compile time, so no reflection or classpath scanning at
 * start-up. A client is only created when a function's graph asks for it.
 */
@Module
public final class AwsClientsModule {
    private AwsClientsModule() {
    }

    @Provides
    @Singleton
    static Settings settings() {
        return Settings.fromEnvironment();
    }

    @Provides
    @Singleton
    static Clock clock() {
        return Clock.systemUTC();
    }

    @Provides
    @Singleton
    static SdkHttpClient httpClient() {
        return AwsClients.httpClient();
    }

    @Provides
    @Singleton
    static Retrier retrier(Clock clock) {
        return Retrier.standard(clock, Retrier.Sleeper.REAL);
    }

    @Provides
    static Retrier.Sleeper sleeper() {
        return Retrier.Sleeper.REAL;
    }

    @Provides
    @Singleton
    static ElastiCacheClient elastiCache(SdkHttpClient http, Settings settings) {
        return AwsClients.build(ElastiCacheClient.builder(), http, settings);
    }

    @Provides
    @Singleton
    static SnsClient sns(SdkHttpClient http, Settings settings) {
        return AwsClients.build(SnsClient.builder(), http, settings);
    }

    @Provides
    @Singleton
    static EventBridgeClient eventBridge(SdkHttpClient http, Settings settings) {
        return AwsClients.build(EventBridgeClient.builder(), http, settings);
    }

    @Provides
    @Singleton
    static DynamoDbClient dynamoDb(SdkHttpClient http, Settings settings) {
        return AwsClients.build(DynamoDbClient.builder(), http, settings);
    }

    @Provides
    static Metrics metrics() {
        return MetricsFactory.getMetricsInstance();
    }
}
