package dev.cachekeeper.core.aws;

import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.metrics.PrimingAwareMetrics;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/** The account a deployed function runs in. Clients are built on first use, once, sharing one HTTP client. */
public final class RealAwsAccount implements AwsAccount {
    private final Settings settings;
    private final Map<Class<?>, Object> clients = new ConcurrentHashMap<>();
    private volatile SdkHttpClient http;
    private final Metrics metrics = new PrimingAwareMetrics(MetricsFactory.getMetricsInstance());

    public RealAwsAccount(Settings settings) {
        this.settings = settings;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public Retrier.Sleeper sleeper() {
        return Retrier.Sleeper.REAL;
    }

    @Override
    public ElastiCacheClient elastiCache() {
        return cached(ElastiCacheClient.class, () -> AwsClients.build(ElastiCacheClient.builder(), http(), settings));
    }

    @Override
    public SnsClient sns() {
        return cached(SnsClient.class, () -> AwsClients.build(SnsClient.builder(), http(), settings));
    }

    @Override
    public EventBridgeClient eventBridge() {
        return cached(EventBridgeClient.class, () -> AwsClients.build(EventBridgeClient.builder(), http(), settings));
    }

    @Override
    public DynamoDbClient dynamoDb() {
        return cached(DynamoDbClient.class, () -> AwsClients.build(DynamoDbClient.builder(), http(), settings));
    }

    /** Clients core does not know at compile time are built through their interface's static {@code builder()}. */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> T client(Class<T> clientInterface) {
        return cached(clientInterface, () -> {
            try {
                Object builder = clientInterface.getMethod("builder").invoke(null);
                return (T) AwsClients.build((AwsClientBuilder & SdkSyncClientBuilder) builder, http(), settings);
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException(clientInterface.getName() + " is not an SDK v2 client interface", e);
            }
        });
    }

    @Override
    public Metrics metrics() {
        return metrics;
    }

    private SdkHttpClient http() {
        if (http == null) {
            synchronized (this) {
                if (http == null) {
                    http = AwsClients.httpClient();
                }
            }
        }
        return http;
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(Class<T> type, java.util.function.Supplier<T> create) {
        return (T) clients.computeIfAbsent(type, t -> create.get());
    }
}
