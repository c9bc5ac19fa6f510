package dev.cachekeeper.core.aws;

import dev.cachekeeper.core.Settings;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * Everything a function takes from the world it runs in: settings, time, and AWS. In Lambda that is the real
 * account ({@link RealAwsAccount}); the local runner and end-to-end tests put the simulated account in its place,
 * so the real handlers and their real Dagger graphs run unchanged with only the AWS side swapped.
 */
public interface AwsAccount {
    Settings settings();

    Clock clock();

    /** How back-off waits: really, or by moving a simulated clock. */
    Retrier.Sleeper sleeper();

    ElastiCacheClient elastiCache();

    SnsClient sns();

    EventBridgeClient eventBridge();

    DynamoDbClient dynamoDb();

    /** Any other SDK v2 sync client interface (S3Client, SecretsManagerClient, SfnClient, ...). */
    <T> T client(Class<T> clientInterface);

    Metrics metrics();

    /** The account functions use: the real one unless the local runner or a test chose another. */
    static AwsAccount current() {
        return Holder.current();
    }

    /** For the local runner and tests only: every component built afterwards uses {@code account}. */
    static void use(AwsAccount account) {
        Holder.override = account;
    }

    final class Holder {
        private static volatile AwsAccount override;
        private static volatile AwsAccount real;

        private Holder() {
        }

        static AwsAccount current() {
            AwsAccount o = override;
            if (o != null) {
                return o;
            }
            if (real == null) {
                synchronized (Holder.class) {
                    if (real == null) {
                        real = new RealAwsAccount(Settings.fromEnvironment());
                    }
                }
            }
            return real;
        }
    }
}
