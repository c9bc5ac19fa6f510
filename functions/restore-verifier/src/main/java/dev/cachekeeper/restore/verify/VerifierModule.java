package dev.cachekeeper.restore.verify;

import dagger.Module;
import dagger.Provides;
import dev.cachekeeper.core.aws.AwsAccount;
import dev.cachekeeper.core.aws.Retrier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

@Module
public final class VerifierModule {
    private VerifierModule() {
    }

    /**
     * From the account, like every client, so the local runner can swap in the simulation. Inside a VPC this needs a
     * Secrets Manager interface endpoint (or a NAT): see the README.
     */
    @Provides
    static SecretsManagerClient secrets(AwsAccount account) {
        return account.client(SecretsManagerClient.class);
    }

    @Provides
    static RestoreVerifier verifier(SecretsManagerClient secrets, Retrier retrier) {
        return new RestoreVerifier(secrets, retrier, address -> address);
    }
}
