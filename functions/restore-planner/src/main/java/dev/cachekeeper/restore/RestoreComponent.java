package dev.cachekeeper.restore;

import dagger.Component;
import dev.cachekeeper.core.aws.AwsClientsModule;
import jakarta.inject.Singleton;
import software.amazon.lambda.powertools.metrics.Metrics;

@Singleton
@Component(modules = {AwsClientsModule.class, RestoreModule.class})
public interface RestoreComponent {
    RestorePlanner planner();

    RestoreCleanup cleanup();

    RestoreNotifier notifier();

    Metrics metrics();
}
