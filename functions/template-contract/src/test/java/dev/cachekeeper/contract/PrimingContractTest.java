package dev.cachekeeper.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cachekeeper.core.Settings;
import dev.cachekeeper.core.aws.AwsAccount;
import dev.cachekeeper.core.aws.RealAwsAccount;
import dev.cachekeeper.core.lambda.Priming;
import dev.cachekeeper.core.lambda.PrimingHttpClient;
import dev.cachekeeper.core.lambda.PrimingInterceptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SnapStart priming, for every function in template.yaml that primes: building the handler as Lambda does
 * (no-arg constructor, its Dagger graph, real SDK clients) registers a warm-up; running it — what happens before
 * Lambda's snapshot — reaches the SDK (requests marshalled and signed, empty answers read) yet not one request
 * leaves the process.
 */
class PrimingContractTest {
    /** Not latency-sensitive steps of the restore flow, which runs for 15 minutes or more anyway. */
    private static final Set<String> NOT_PRIMED = Set.of("RestoreCleanupFunction", "RestoreNotifierFunction",
            "RestoreVerifierFunction");

    private static final AtomicInteger RECEIVED = new AtomicInteger();
    private static HttpServer endpoint;

    @BeforeAll
    static void pointTheRealAccountAtALocalEndpoint() throws Exception {
        endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.createContext("/", ex -> {
            RECEIVED.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        endpoint.start();
        System.setProperty("aws.endpointUrl", "http://127.0.0.1:" + endpoint.getAddress().getPort());
        System.setProperty("aws.accessKeyId", "AKIDPRIMINGTEST");
        System.setProperty("aws.secretAccessKey", "priming-test-secret");
        Map<String, String> env = new HashMap<>(Map.of(
                "AWS_REGION", "eu-west-1",
                Settings.BUS_NAME, "cachekeeper-test",
                Settings.ALERT_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:cachekeeper-alerts",
                Settings.TABLE_NAME, "cachekeeper-test"));
        AwsAccount.use(new RealAwsAccount(new Settings(env)));
    }

    @AfterAll
    static void restore() {
        AwsAccount.use(null);
        System.clearProperty("aws.endpointUrl");
        endpoint.stop(0);
    }

    static Stream<String> primedFunctions() throws Exception {
        SamTemplate template = SamTemplate.load(Path.of("../../template.yaml"));
        return template.idsOfType("AWS::Serverless::Function").stream().filter(id -> !NOT_PRIMED.contains(id));
    }

    @ParameterizedTest
    @MethodSource("primedFunctions")
    void warmUpReachesTheSdkAndSendsNothing(String functionId) throws Exception {
        SamTemplate template = SamTemplate.load(Path.of("../../template.yaml"));
        String handler = String.valueOf(template.properties(functionId).get("Handler"));
        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;

        int registeredBefore = Priming.registered().size();
        Class.forName(className).getDeclaredConstructor().newInstance();
        List<Priming> registered = Priming.registered();
        assertEquals(registeredBefore + 1, registered.size(), className + " must register one priming warm-up");

        int stoppedBefore = PrimingInterceptor.stopped();
        int answeredBefore = PrimingHttpClient.answered();
        int receivedBefore = RECEIVED.get();
        Priming priming = registered.get(registered.size() - 1);
        priming.prime();

        assertEquals(1, priming.runs());
        assertTrue(PrimingHttpClient.answered() > answeredBefore,
                functionId + ": the warm-up should read at least one AWS response (made up in memory)");
        assertEquals(stoppedBefore, PrimingInterceptor.stopped(),
                functionId + ": every request of the sample event's path has an empty answer");
        assertEquals(receivedBefore, RECEIVED.get(), functionId + ": priming must never send a request");
        assertTrue(!PrimingInterceptor.active(), "priming mode must end with the warm-up");
    }
}
