package dev.cachekeeper.archive;

import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.alert.AlertPublisher;
import dev.cachekeeper.core.aws.AwsAccount;
import dev.cachekeeper.core.aws.Retrier;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.lambda.powertools.metrics.Metrics;

/** The archiver's own wiring on top of {@link dev.cachekeeper.core.aws.AwsClientsModule}. */
@Module
public final class ArchiverModule {
    private ArchiverModule() {
    }

    @Provides
    @Singleton
    static ArchiverSettings archiverSettings(Settings settings) {
        return ArchiverSettings.from(settings);
    }

    @Provides
    @Singleton
    static S3Client s3(AwsAccount account) {
        return account.client(S3Client.class);
    }

    @Provides
    static ResourceGroupsTaggingApiClient tagging(AwsAccount account) {
        return account.client(ResourceGroupsTaggingApiClient.class);
    }

    /** The tagging client is built on the sweep's first use: the event path and the cold start never pay for it. */
    @Provides
    @Singleton
    static SnapshotArchiver archiver(ElastiCacheClient elastiCache, Lazy<ResourceGroupsTaggingApiClient> tagging,
                                     S3Client s3, SnsClient sns, Metrics metrics, Clock clock, Retrier retrier,
                                     Settings settings, ArchiverSettings archiver) {
        return new SnapshotArchiver(elastiCache, tagging::get, new ExportBucketCheck(s3, retrier),
                new AlertPublisher(sns, settings.alertTopicArn(), retrier), metrics, clock, retrier, archiver);
    }
}
