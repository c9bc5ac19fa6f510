package dev.cachekeeper.core.aws;

import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.lambda.PrimingHttpClient;
import dev.cachekeeper.core.lambda.PrimingInterceptor;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * How every real SDK client is built: one shared url-connection HTTP client (light to load, no Apache or Netty),
 * the region from the environment (no region lookup chain at start-up), and the default credentials chain (which
 * SnapStart needs: restored snapshots do not get the usual credential variables), and priming's answering client and
 * stop together, so no request made while priming can leave the process. {@code AWS_ENDPOINT_URL} is
 * honoured by the SDK itself, which the benchmark harness and local endpoints use.
 */
public final class AwsClients {
    private AwsClients() {
    }

    public static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.create();
    }

    public static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(
            B builder, SdkHttpClient http, Settings settings) {
        return builder.httpClient(PrimingHttpClient.wrap(http))
                .region(Region.of(settings.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new PrimingInterceptor()))
                .build();
    }
}
