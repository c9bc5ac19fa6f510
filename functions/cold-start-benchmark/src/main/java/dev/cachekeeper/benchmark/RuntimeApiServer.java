package dev.cachekeeper.benchmark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * The part of Lambda's Runtime API a function needs for one cold start: hands out one event on the first
 * {@code /next}, notes the moment the response (or error) arrives, and parks any later {@code /next} until closed.
 * One server per fresh process keeps runs independent.
 */
final class RuntimeApiServer implements AutoCloseable {
    /** The request id of the one invocation it hands out; the function logs it as function_request_id. */
    static final String REQUEST_ID = "bench-request-1";

    /** When the response arrived, when the event had been handed out (both System.nanoTime), and the answer. */
    record Answer(long receivedNanos, long handedOutNanos, boolean error, String body) {
    }

    private static final String PREFIX = "/2018-06-01/runtime/";
    private final HttpServer server;
    private final byte[] event;
    private final CompletableFuture<Answer> answer = new CompletableFuture<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean handedOut;
    private volatile long handedOutNanos;

    RuntimeApiServer(String eventJson) throws IOException {
        this.event = eventJson.getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runtime-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    CompletableFuture<Answer> answer() {
        return answer;
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath().substring(PREFIX.length());
        byte[] body = ex.getRequestBody().readAllBytes();
        long now = System.nanoTime();
        if (path.equals("invocation/next")) {
            if (handedOut) {
                // A warm runtime asks for the next event; there is none in a cold-start measurement.
                try {
                    closing.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
                return;
            }
            handedOut = true;
            ex.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", REQUEST_ID);
            ex.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                    Long.toString(System.currentTimeMillis() + 60_000));
            ex.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                    "arn:aws:lambda:eu-west-1:123456789012:function:benchmark");
            ex.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000");
            ex.getResponseHeaders().add("Content-Type", "application/json");
            // Before the event leaves: the response cannot arrive before this is set.
            handedOutNanos = System.nanoTime();
            send(ex, 200, event);
            return;
        }
        if (path.endsWith("/response")) {
            answer.complete(new Answer(now, handedOutNanos, false, new String(body, StandardCharsets.UTF_8)));
        } else if (path.endsWith("/error") || path.equals("init/error")) {
            answer.complete(new Answer(now, handedOutNanos, true, new String(body, StandardCharsets.UTF_8)));
        }
        send(ex, 202, "{}".getBytes(StandardCharsets.US_ASCII));
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
