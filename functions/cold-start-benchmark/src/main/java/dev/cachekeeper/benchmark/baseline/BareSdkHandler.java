package dev.cachekeeper.benchmark.baseline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;

/**
 * The yardstick our functions are held to: the least an SDK v2 handler can do — one client built at init, one
 * DescribeReplicationGroups call per event — the same work as the Python baseline.
 */
public class BareSdkHandler implements RequestStreamHandler {
    private final ElastiCacheClient client = ElastiCacheClient.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .region(Region.of(System.getenv("AWS_REGION")))
            .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
            .build();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws java.io.IOException {
        int groups = client.describeReplicationGroups().replicationGroups().size();
        output.write(("{\"groups\":" + groups + "}").getBytes(StandardCharsets.US_ASCII));
    }
}
