package dev.cachekeeper.ingest;

import dagger.Component;
import dev.cachekeeper.core.aws.AwsClientsModule;
import jakarta.inject.Singleton;
import software.amazon.lambda.powertools.metrics.Metrics;

@Singleton
@Component(modules = {AwsClientsModule.class, IngestModule.class})
interface IngestComponent {
    IngestDispatcher dispatcher();

    Metrics metrics();
}
