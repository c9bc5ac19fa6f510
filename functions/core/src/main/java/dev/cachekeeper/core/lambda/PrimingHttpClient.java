package dev.cachekeeper.core.lambda;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The HTTP client every real SDK client sends through. Outside priming it is the wrapped client. While priming it
 * never sends: it answers each request the warm-up makes with an empty success (no item, no cache, no page after
 * this one), so the SDK reads a response and the handler's code after the call runs too. That is what the first
 * real event would otherwise load and initialise after a SnapStart restore: the response parsers (the JDK's XML
 * reader for ElastiCache and SNS) and everything that follows the first request. It answers the two protocols
 * whose empty success has one shape for every operation: AWS JSON ({@code X-Amz-Target}: DynamoDB, EventBridge,
 * Step Functions, Secrets Manager, tagging) and AWS Query (ElastiCache, SNS). Other requests (S3's REST calls) are
 * stopped by {@link PrimingInterceptor} before they reach this client.
 *
 * <p>Made-up answers must not outlive priming: a service that remembers what it read checks
 * {@link PrimingInterceptor#active()} before keeping it.
 */
public final class PrimingHttpClient implements SdkHttpClient {
    private static final AtomicInteger ANSWERED = new AtomicInteger();
    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9]{1,100}");

    private final SdkHttpClient delegate;

    private PrimingHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    /** {@code http}, answering priming's requests; wrapping twice gives the same client. */
    public static SdkHttpClient wrap(SdkHttpClient http) {
        return http instanceof PrimingHttpClient ? http : new PrimingHttpClient(http);
    }

    /** Requests answered so far (tests check priming read responses and sent nothing). */
    public static int answered() {
        return ANSWERED.get();
    }

    /** Whether priming can answer this request without sending it; {@link PrimingInterceptor} stops the rest. */
    static boolean canAnswer(SdkHttpRequest request) {
        return request.firstMatchingHeader("X-Amz-Target").isPresent() || isQuery(request);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        if (!PrimingInterceptor.active()) {
            return delegate.prepareRequest(request);
        }
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                return answer(request);
            }

            @Override
            public void abort() {
                // Nothing in flight: the answer is made in memory.
            }
        };
    }

    private static HttpExecuteResponse answer(HttpExecuteRequest request) throws IOException {
        SdkHttpRequest http = request.httpRequest();
        String contentType;
        String body;
        if (http.firstMatchingHeader("X-Amz-Target").isPresent()) {
            contentType = http.firstMatchingHeader("Content-Type").orElse("application/x-amz-json-1.0");
            body = "{}";
        } else if (isQuery(http)) {
            String action = queryAction(request).orElseThrow(() -> stop(http));
            contentType = "text/xml";
            body = "<" + action + "Response><" + action + "Result></" + action + "Result>"
                    + "<ResponseMetadata><RequestId>priming</RequestId></ResponseMetadata></" + action + "Response>";
        } else {
            // The interceptor stops these first; never send one while priming, whatever happened before.
            throw stop(http);
        }
        ANSWERED.incrementAndGet();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpResponse response = SdkHttpResponse.builder().statusCode(200)
                .putHeader("Content-Type", contentType)
                .putHeader("Content-Length", String.valueOf(bytes.length))
                .putHeader("x-amzn-RequestId", "priming")
                .build();
        return HttpExecuteResponse.builder().response(response)
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes))).build();
    }

    private static boolean isQuery(SdkHttpRequest request) {
        return "POST".equals(request.method().name()) && request.firstMatchingHeader("Content-Type")
                .map(t -> t.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")).orElse(false);
    }

    /** The {@code Action} of a Query request's form body. */
    private static Optional<String> queryAction(HttpExecuteRequest request) {
        return request.contentStreamProvider().flatMap(p -> {
            try (InputStream in = p.newStream()) {
                String form = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (String pair : form.split("&")) {
                    if (pair.startsWith("Action=")) {
                        String action = URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
                        return ACTION.matcher(action).matches() ? Optional.of(action) : Optional.empty();
                    }
                }
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static PrimingInterceptor.PrimingStop stop(SdkHttpRequest request) {
        return new PrimingInterceptor.PrimingStop(request.getUri().getHost());
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
