package dev.cachekeeper.restore.verify;

import dagger.Module;
import dagger.Provides;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.aws.AwsClients;
import dev.cachekeeper.core.aws.Retrier;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

@Module
public final class VerifierModule {
    private VerifierModule() {
    }

    /** Inside a VPC this needs a Secrets Manager interface endpoint (or a NAT): see the README. */
    @Provides
    @Singleton
    static SecretsManagerClient secrets(SdkHttpClient http, Settings settings) {
        return AwsClients.build(SecretsManagerClient.builder(), http, settings);
    }

    @Provides
    static RestoreVerifier verifier(SecretsManagerClient secrets, Retrier retrier) {
        return new RestoreVerifier(secrets, retrier, address -> address);
    }
}
