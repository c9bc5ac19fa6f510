package dev.cachekeeper.archive;

import dagger.Component;
import dev.cachekeeper.core.aws.AwsClientsModule;
import jakarta.inject.Singleton;
import software.amazon.lambda.powertools.metrics.Metrics;

/** Built at compile time by Dagger: no reflection at cold start. */
@Singleton
@Component(modules = {AwsClientsModule.class, ArchiverModule.class})
public interface ArchiverComponent {
    SnapshotArchiver archiver();

    Metrics metrics();
}
