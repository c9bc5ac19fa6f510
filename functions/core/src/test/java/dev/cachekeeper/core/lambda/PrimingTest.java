package dev.cachekeeper.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.aws.AwsClients;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;

class PrimingTest {
    @Test
    void primingRunsTheCodePathButSendsNothing() throws Exception {
        AtomicInteger received = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            received.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        server.start();
        try {
            Settings settings = new Settings(Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "x",
                    "AWS_SECRET_ACCESS_KEY", "y"));
            System.setProperty("aws.accessKeyId", "AKIDTEST");
            System.setProperty("aws.secretAccessKey", "secret");
            ElastiCacheClient client = AwsClients.build(ElastiCacheClient.builder()
                    .endpointOverride(java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort())),
                    AwsClients.httpClient(), settings);
            int before = PrimingInterceptor.stopped();
            AtomicInteger warmUps = new AtomicInteger();
            Priming priming = Priming.register(() -> {
                warmUps.incrementAndGet();
                client.describeReplicationGroups();
            });
            Priming fromAWorker = Priming.register(() -> {
                // Services fan out to worker threads; their requests must be stopped too.
                Thread t = new Thread(() -> {
                    try {
                        client.describeSnapshots();
                    } catch (RuntimeException expected) {
                        // stopped before transmission
                    }
                });
                t.start();
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            priming.beforeCheckpoint(null);
            fromAWorker.beforeCheckpoint(null);

            assertEquals(1, warmUps.get());
            assertEquals(1, priming.runs());
            assertEquals(before + 2, PrimingInterceptor.stopped());
            assertEquals(0, received.get(), "priming must never reach AWS");
            assertEquals(List.of("x25519", "secp256r1"), Priming.tlsWarmUp().keyAgreements(),
                    "the TLS handshake the stopped requests never reached was warmed as well");
            // Outside priming the same client really sends.
            assertThrows(RuntimeException.class, client::describeReplicationGroups);
            assertTrue(received.get() >= 1);
        } finally {
            server.stop(0);
        }
    }
}
