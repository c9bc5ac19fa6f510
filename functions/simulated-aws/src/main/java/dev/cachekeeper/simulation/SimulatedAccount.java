package dev.cachekeeper.simulation;

import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.aws.AwsAccount;
import dev.cachekeeper.core.aws.Retrier;
import dev.cachekeeper.core.metrics.RecordingMetrics;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * The simulated account as an {@link AwsAccount}: after {@code AwsAccount.use(account)}, every handler built with
 * its public no-arg constructor (its real Dagger graph) talks to the simulation, reads the given settings instead
 * of the environment, waits on the simulated clock and records its metrics.
 */
public final class SimulatedAccount implements AwsAccount {
    private final SimulatedAws aws;
    private final Settings settings;
    private final RecordingMetrics metrics;

    /** {@code settings} are the environment variables a deployed function would see; AWS_REGION is the account's. */
    public SimulatedAccount(SimulatedAws aws, Map<String, String> settings, RecordingMetrics metrics) {
        this.aws = aws;
        Map<String, String> env = new HashMap<>(settings);
        env.putIfAbsent("AWS_REGION", aws.region());
        this.settings = new Settings(env);
        this.metrics = metrics;
    }

    public SimulatedAccount(SimulatedAws aws, Map<String, String> settings) {
        this(aws, settings, new RecordingMetrics());
    }

    /** The same account, simulation and metrics with another function's environment. */
    public SimulatedAccount withSettings(Map<String, String> otherSettings) {
        return new SimulatedAccount(aws, otherSettings, metrics);
    }

    public SimulatedAws simulation() {
        return aws;
    }

    public RecordingMetrics recordedMetrics() {
        return metrics;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public Clock clock() {
        return aws.clock();
    }

    /** Back-off moves the simulated clock instead of sleeping. */
    @Override
    public Retrier.Sleeper sleeper() {
        return aws::advance;
    }

    @Override
    public ElastiCacheClient elastiCache() {
        return aws.elastiCache();
    }

    @Override
    public SnsClient sns() {
        return aws.sns();
    }

    @Override
    public EventBridgeClient eventBridge() {
        return aws.eventBridge();
    }

    @Override
    public DynamoDbClient dynamoDb() {
        return aws.dynamoDb();
    }

    @Override
    public <T> T client(Class<T> clientInterface) {
        Object client;
        if (clientInterface == S3Client.class) {
            client = aws.s3();
        } else if (clientInterface == SecretsManagerClient.class) {
            client = aws.secretsManager();
        } else if (clientInterface == SfnClient.class) {
            client = aws.sfn();
        } else if (clientInterface == ResourceGroupsTaggingApiClient.class) {
            client = aws.resourceGroupsTagging();
        } else if (clientInterface.isInstance(aws.elastiCache())) {
            client = aws.elastiCache();
        } else if (clientInterface.isInstance(aws.sns())) {
            client = aws.sns();
        } else if (clientInterface.isInstance(aws.eventBridge())) {
            client = aws.eventBridge();
        } else if (clientInterface.isInstance(aws.dynamoDb())) {
            client = aws.dynamoDb();
        } else {
            throw new IllegalArgumentException("the simulated account has no " + clientInterface.getName());
        }
        return clientInterface.cast(client);
    }

    @Override
    public Metrics metrics() {
        return metrics;
    }
}
