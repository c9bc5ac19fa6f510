package dev.cachekeeper.restore.verify;

import dagger.Component;
import dev.cachekeeper.core.aws.AwsClientsModule;
import jakarta.inject.Singleton;
import software.amazon.lambda.powertools.metrics.Metrics;

@Singleton
@Component(modules = {AwsClientsModule.class, VerifierModule.class})
public interface VerifierComponent {
    RestoreVerifier verifier();

    Metrics metrics();
}
