package dev.cachekeeper.failover;

import dagger.Component;
import dev.cachekeeper.core.aws.AwsClientsModule;
import jakarta.inject.Singleton;

@Singleton
@Component(modules = {AwsClientsModule.class, FailoverObserverModule.class})
interface FailoverObserverComponent {
    FailoverObserver observer();
}
