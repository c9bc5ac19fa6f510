package dev.cachekeeper.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cachekeeper.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one ASL definition with a real interpreter (aws-local-stepfunctions, in Node) whose Task states call Java.
 *
 * <p>Each {@link #run} starts a loopback-only HTTP bridge, spawns {@code node statemachines/harness/run-execution.mjs}
 * and answers its calls: Task states go to the registered {@link TaskHandler}s (looked up by the state's
 * {@code Resource} after definition substitutions), Wait states and retry back-offs are reported to listeners
 * instead of sleeping, so callers can advance a simulated clock. Handlers run one at a time on the bridge thread.
 */
public final class LocalStateMachine {
    public static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    private static final System.Logger LOG = System.getLogger(LocalStateMachine.class.getName());
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}\\s]+)}");
    private static final AtomicInteger EXECUTIONS = new AtomicInteger();

    private final Path definition;
    private final Map<String, String> substitutions;
    private final Map<String, TaskHandler> tasks;
    private final Map<String, Function<JsonNode, JsonNode>> lambdas;
    private final Consumer<Duration> onWait;
    private final Consumer<Duration> onRetryDelay;
    private final Supplier<Instant> clock;
    private final Path node;
    private final Path statemachinesDir;
    private final Duration timeout;
    private final String executionName;

    private LocalStateMachine(Builder b) {
        this.statemachinesDir = b.statemachinesDir != null ? b.statemachinesDir : findStatemachinesDir();
        this.definition = resolveDefinition(Objects.requireNonNull(b.definition, "definition"), statemachinesDir);
        this.substitutions = Map.copyOf(b.substitutions);
        this.tasks = resolveKeys(b.tasks, substitutions);
        this.lambdas = resolveKeys(b.lambdas, substitutions);
        this.onWait = b.onWait;
        this.onRetryDelay = b.onRetryDelay;
        this.clock = b.clock;
        this.node = b.node;
        this.timeout = b.timeout;
        this.executionName = b.executionName;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Validates the definition (substitutions, asl-validator, the interpreter's own checks) without running it. */
    public void validate() {
        ObjectNode request = baseRequest();
        request.put("validateOnly", true);
        JsonNode answer = spawn(request, null);
        if (!"VALID".equals(answer.path("status").asText())) {
            throw new HarnessException("unexpected answer from the harness: " + answer);
        }
    }

    /** Executes the state machine once with the given input; returns when the execution has ended. */
    public ExecutionResult run(JsonNode input) {
        Bridge bridge = new Bridge();
        try {
            ObjectNode request = baseRequest();
            request.set("input", input == null ? JsonNodeFactory.instance.objectNode() : input);
            request.put("bridgeUrl", bridge.start());
            request.set("context", context());
            JsonNode answer = spawn(request, bridge);
            return bridge.result(answer);
        } finally {
            bridge.stop();
        }
    }

    private ObjectNode baseRequest() {
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("definitionPath", definition.toString());
        request.set("substitutions", Json.MAPPER.valueToTree(substitutions));
        request.put("timeoutSeconds", Math.max(1, timeout.toSeconds()));
        return request;
    }

    private JsonNode context() {
        String region = Objects.requireNonNullElse(System.getenv("AWS_REGION"), "us-east-1");
        String machine = definition.getFileName().toString().replaceAll("\\.asl\\.json$|\\.json$", "");
        String name = executionName != null ? executionName : "local-" + EXECUTIONS.incrementAndGet();
        String machineArn = "arn:aws:states:" + region + ":123456789012:stateMachine:" + machine;
        ObjectNode context = Json.MAPPER.createObjectNode();
        context.putObject("Execution")
                .put("Id", "arn:aws:states:" + region + ":123456789012:execution:" + machine + ":" + name)
                .put("Name", name)
                .put("RoleArn", "arn:aws:iam::123456789012:role/local-state-machine");
        context.putObject("StateMachine").put("Id", machineArn).put("Name", machine);
        return context;
    }

    // ---- node process ----

    private JsonNode spawn(ObjectNode request, Bridge bridge) {
        Path script = statemachinesDir.resolve("harness/run-execution.mjs");
        if (!Files.isDirectory(statemachinesDir.resolve("node_modules/aws-local-stepfunctions"))) {
            throw new HarnessException(statemachinesDir.resolve("node_modules") + " is missing or incomplete: run `npm ci` in "
                    + statemachinesDir + " (the Maven build does it unless -Dskip.npm is set)");
        }
        Path nodeExe = node != null ? node : findNode();
        Process process;
        try {
            process = new ProcessBuilder(nodeExe.toString(), script.toString()).directory(statemachinesDir.toFile()).start();
        } catch (IOException e) {
            throw new HarnessException("cannot start " + nodeExe + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> stdout = readAll(process.getInputStream());
        CompletableFuture<String> stderr = readAll(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            in.write(Json.MAPPER.writeValueAsBytes(request));
        } catch (IOException e) {
            // node died before reading its request; its stderr says why
        }
        try {
            // node has its own watchdog at the same timeout; this one also catches a hung node
            if (!process.waitFor(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new HarnessException("execution of " + definition.getFileName() + " did not finish within "
                        + timeout.toSeconds() + " s; node was killed" + tail(stderr, bridge));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HarnessException("interrupted while running " + definition.getFileName(), e);
        }
        String out = stdout.join().strip();
        String err = stderr.join();
        JsonNode answer;
        try {
            String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1);
            answer = Json.MAPPER.readTree(last);
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            throw new HarnessException("node exited with " + process.exitValue() + " without a result"
                    + (out.isEmpty() ? "" : "\nstdout: " + out) + (err.isBlank() ? "" : "\nstderr: " + err.strip()));
        }
        switch (answer.path("status").asText()) {
            case "INVALID" -> {
                List<String> errors = new ArrayList<>();
                answer.path("errors").forEach(e -> errors.add(e.asText()));
                throw new InvalidDefinitionException(definition.toString(), errors);
            }
            case "HARNESS_ERROR" -> throw new HarnessException("harness failed on " + definition.getFileName() + ": "
                    + answer.path("message").asText() + (err.isBlank() ? "" : "\nstderr: " + err.strip()));
            default -> {
                return answer;
            }
        }
    }

    private static String tail(CompletableFuture<String> stderr, Bridge bridge) {
        String err = stderr.getNow("");
        String calls = bridge == null ? "" : "\nlast task calls: " + bridge.lastCalls();
        return (err.isBlank() ? "" : "\nstderr: " + err.strip()) + calls;
    }

    private static CompletableFuture<String> readAll(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static Path findNode() {
        String override = System.getenv("CACHEKEEPER_NODE");
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override);
            if (!Files.isExecutable(path)) {
                throw new HarnessException("CACHEKEEPER_NODE=" + override + " is not an executable file");
            }
            return path;
        }
        String pathVar = Objects.requireNonNullElse(System.getenv("PATH"), "");
        return Arrays.stream(pathVar.split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "node"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new HarnessException(
                        "node was not found on PATH: install Node.js 20 or newer, or set CACHEKEEPER_NODE to its executable"));
    }

    static Path findStatemachinesDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("statemachines/package.json"))) {
                return dir.resolve("statemachines");
            }
        }
        throw new HarnessException("no statemachines/package.json found above " + Path.of("").toAbsolutePath()
                + ": run from inside the cachekeeper checkout or set the folder with statemachinesDir(...)");
    }

    // A relative definition path that does not exist from the working directory is taken from the checkout root,
    // so module tests (working directory functions/<module>) can say "statemachines/restore.asl.json".
    private static Path resolveDefinition(Path definition, Path statemachinesDir) {
        Path resolved = definition;
        if (!definition.isAbsolute() && !Files.exists(definition)) {
            resolved = statemachinesDir.getParent().resolve(definition);
        }
        if (!Files.isRegularFile(resolved)) {
            throw new IllegalArgumentException("state machine definition not found: " + definition);
        }
        return resolved.toAbsolutePath().normalize();
    }

    private static <V> Map<String, V> resolveKeys(Map<String, V> handlers, Map<String, String> substitutions) {
        Map<String, V> resolved = new LinkedHashMap<>();
        handlers.forEach((key, value) -> resolved.put(substitute(key, substitutions), value));
        return Collections.unmodifiableMap(resolved);
    }

    private static String substitute(String text, Map<String, String> substitutions) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = substitutions.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("handler key " + text + " uses ${" + m.group(1)
                        + "} but no such definition substitution was given");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    // ---- task routing ----

    private JsonNode dispatch(String state, String resource, JsonNode input, List<String> problems) throws TaskFailure {
        TaskHandler handler = tasks.get(resource);
        if (handler != null) {
            return handler.handle(input);
        }
        if (LAMBDA_INVOKE.equals(resource)) {
            String function = input.path("FunctionName").asText(null);
            Function<JsonNode, JsonNode> lambda = function == null ? null : findLambda(function);
            if (lambda != null) {
                // lambda:invoke wraps the function's result the way the Invoke API returns it
                JsonNode payload = input.has("Payload") ? input.get("Payload") : JsonNodeFactory.instance.objectNode();
                ObjectNode output = Json.MAPPER.createObjectNode();
                output.put("ExecutedVersion", "$LATEST");
                output.set("Payload", invokeLambda(lambda, payload));
                output.put("StatusCode", 200);
                return output;
            }
            return noHandler(state, resource + " with FunctionName " + function, problems);
        }
        Function<JsonNode, JsonNode> lambda = findLambda(resource);
        if (lambda != null) {
            return invokeLambda(lambda, input); // a bare Lambda ARN as Resource: the result is the output as is
        }
        return noHandler(state, resource, problems);
    }

    private Function<JsonNode, JsonNode> findLambda(String function) {
        Function<JsonNode, JsonNode> exact = lambdas.get(function);
        if (exact != null) {
            return exact;
        }
        return lambdas.entrySet().stream()
                .filter(e -> functionName(e.getKey()).equals(functionName(function)))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    // arn:aws:lambda:region:account:function:name[:qualifier] -> name; a bare name stays as it is
    private static String functionName(String nameOrArn) {
        String[] parts = nameOrArn.split(":");
        return parts.length >= 7 && "function".equals(parts[5]) ? parts[6] : parts[0];
    }

    private static JsonNode invokeLambda(Function<JsonNode, JsonNode> lambda, JsonNode payload) throws TaskFailure {
        try {
            JsonNode result = lambda.apply(payload);
            return result == null ? JsonNodeFactory.instance.nullNode() : result;
        } catch (RuntimeException e) {
            // The Java Lambda runtime reports the exception's class name as errorType; Step Functions uses it as Error.
            throw new TaskFailure(e.getClass().getName(), lambdaErrorCause(e));
        }
    }

    static String lambdaErrorCause(Throwable e) {
        ObjectNode cause = Json.MAPPER.createObjectNode();
        cause.put("errorMessage", e.getMessage());
        cause.put("errorType", e.getClass().getName());
        cause.set("stackTrace", Json.MAPPER.valueToTree(
                Arrays.stream(e.getStackTrace()).limit(10).map(StackTraceElement::toString).toList()));
        return cause.toString();
    }

    private static JsonNode noHandler(String state, String what, List<String> problems) throws TaskFailure {
        String message = "no Java handler for " + what + " (Task state '" + state
                + "'); register one with LocalStateMachine.builder().task(resource, handler) or .lambda(...)";
        problems.add(message);
        LOG.log(System.Logger.Level.WARNING, message);
        throw new TaskFailure("Harness.NoHandler", message);
    }

    // ---- the loopback bridge ----

    private final class Bridge {
        private final List<ExecutionResult.TaskCall> calls = Collections.synchronizedList(new ArrayList<>());
        private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        private final Instant start = Instant.now();
        private Duration waited = Duration.ZERO;
        private Duration retried = Duration.ZERO;
        private HttpServer server;
        private ExecutorService executor;

        String start() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new HarnessException("cannot open the loopback bridge", e);
            }
            // One thread: node sends one call at a time, and handlers need not be thread-safe.
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "state-machine-bridge");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.createContext("/task", exchange -> respond(exchange, this::task));
            server.createContext("/wait", exchange -> respond(exchange, this::waitState));
            server.createContext("/retry", exchange -> respond(exchange, this::retry));
            server.start();
            return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
        }

        void stop() {
            if (server != null) {
                server.stop(0);
                executor.shutdownNow();
            }
        }

        private void respond(HttpExchange exchange, Function<JsonNode, JsonNode> handler) throws IOException {
            byte[] body;
            int status = 200;
            try (exchange) {
                try {
                    body = Json.MAPPER.writeValueAsBytes(handler.apply(Json.MAPPER.readTree(exchange.getRequestBody())));
                } catch (RuntimeException | IOException e) {
                    LOG.log(System.Logger.Level.ERROR, "bridge call " + exchange.getRequestURI() + " failed", e);
                    problems.add("bridge " + exchange.getRequestURI() + ": " + e);
                    status = 500;
                    body = String.valueOf(e).getBytes(StandardCharsets.UTF_8);
                }
                exchange.getResponseHeaders().set("content-type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
        }

        private JsonNode task(JsonNode request) {
            String state = request.path("state").asText();
            String resource = request.path("resource").asText();
            JsonNode input = request.get("input");
            ObjectNode answer = Json.MAPPER.createObjectNode();
            try {
                JsonNode output = dispatch(state, resource, input, problems);
                answer.set("output", output);
                calls.add(new ExecutionResult.TaskCall(state, resource, input, output, null, null));
            } catch (TaskFailure f) {
                answer.put("error", f.error()).put("cause", f.cause());
                calls.add(new ExecutionResult.TaskCall(state, resource, input, null, f.error(), f.cause()));
            } catch (HarnessException e) {
                // A test-setup problem (bad parameters, unimplemented fake): stop the execution, not catchable.
                LOG.log(System.Logger.Level.WARNING, "Task state '" + state + "': " + e.getMessage());
                problems.add("Task state '" + state + "': " + e.getMessage());
                answer.put("fatal", "Task state '" + state + "': " + e.getMessage());
                calls.add(new ExecutionResult.TaskCall(state, resource, input, null, "States.Runtime", e.getMessage()));
            } catch (RuntimeException e) {
                // A bug in the code under test: fail the task as a Lambda would, and make sure the developer sees it.
                LOG.log(System.Logger.Level.WARNING, "handler for Task state '" + state + "' threw", e);
                problems.add("handler for Task state '" + state + "' (" + resource + ") threw " + e);
                answer.put("error", e.getClass().getName()).put("cause", lambdaErrorCause(e));
                calls.add(new ExecutionResult.TaskCall(state, resource, input, null, e.getClass().getName(), String.valueOf(e.getMessage())));
            }
            return answer;
        }

        private JsonNode waitState(JsonNode request) {
            Duration duration;
            if (request.has("seconds")) {
                duration = Duration.ofMillis(Math.round(request.get("seconds").asDouble() * 1000));
            } else {
                Instant until = java.time.OffsetDateTime.parse(request.path("timestamp").asText()).toInstant();
                Instant now = clock != null ? clock.get() : start.plus(waited).plus(retried);
                duration = now.isBefore(until) ? Duration.between(now, until) : Duration.ZERO;
            }
            waited = waited.plus(duration);
            onWait.accept(duration);
            return Json.MAPPER.createObjectNode().put("seconds", duration.toMillis() / 1000.0);
        }

        private JsonNode retry(JsonNode request) {
            Duration delay = Duration.ofMillis(Math.round(request.path("seconds").asDouble() * 1000));
            retried = retried.plus(delay);
            onRetryDelay.accept(delay);
            return Json.MAPPER.createObjectNode();
        }

        String lastCalls() {
            synchronized (calls) {
                return calls.subList(Math.max(0, calls.size() - 3), calls.size()).toString();
            }
        }

        ExecutionResult result(JsonNode answer) {
            String harnessError = answer.path("harnessError").asText(null);
            if (harnessError != null) {
                problems.add(harnessError);
            }
            List<String> entered = new ArrayList<>();
            answer.path("statesEntered").forEach(s -> entered.add(s.asText()));
            List<ExecutionResult.Retry> retries = new ArrayList<>();
            answer.path("retries").forEach(r -> retries.add(new ExecutionResult.Retry(r.path("state").asText(),
                    r.path("attempt").asInt(), r.path("error").asText(null),
                    Duration.ofMillis(Math.round(r.path("seconds").asDouble() * 1000)))));
            return new ExecutionResult(
                    ExecutionResult.Status.valueOf(answer.path("status").asText()),
                    answer.get("output"),
                    answer.path("error").asText(null),
                    answer.path("cause").asText(null),
                    answer.path("transitions").asInt(),
                    List.copyOf(entered),
                    List.copyOf(retries),
                    Duration.ofMillis(Math.round(answer.path("waitedSeconds").asDouble() * 1000)),
                    Duration.ofMillis(Math.round(answer.path("retryDelaySeconds").asDouble() * 1000)),
                    List.copyOf(calls),
                    List.copyOf(problems),
                    answer.path("history"));
        }
    }

    // ---- builder ----

    public static final class Builder {
        private Path definition;
        private final Map<String, String> substitutions = new LinkedHashMap<>();
        private final Map<String, TaskHandler> tasks = new LinkedHashMap<>();
        private final Map<String, Function<JsonNode, JsonNode>> lambdas = new LinkedHashMap<>();
        private Consumer<Duration> onWait = d -> { };
        private Consumer<Duration> onRetryDelay = d -> { };
        private Supplier<Instant> clock;
        private Path node;
        private Path statemachinesDir;
        private Duration timeout = Duration.ofSeconds(60);
        private String executionName;

        private Builder() {
        }

        /** The *.asl.json file; a relative path is tried from the working directory, then from the checkout root. */
        public Builder definition(Path definition) {
            this.definition = definition;
            return this;
        }

        public Builder definition(String definition) {
            return definition(Path.of(definition));
        }

        /** A value for a {@code ${name}} placeholder, as SAM's DefinitionSubstitutions would replace it. */
        public Builder substitution(String name, String value) {
            substitutions.put(name, value);
            return this;
        }

        public Builder substitutions(Map<String, String> values) {
            substitutions.putAll(values);
            return this;
        }

        /** The handler for Task states whose Resource is {@code resource} (a {@code ${name}} placeholder is resolved). */
        public Builder task(String resource, TaskHandler handler) {
            tasks.put(resource, handler);
            return this;
        }

        public Builder tasks(Map<String, ? extends TaskHandler> handlers) {
            tasks.putAll(handlers);
            return this;
        }

        /**
         * A Lambda function: serves Task states whose Resource is the function's ARN (output = the result) and
         * {@code arn:aws:states:::lambda:invoke} states whose FunctionName names it (output = {Payload: result, ...}).
         * A RuntimeException thrown by the function fails the task with the exception's class name as error.
         */
        public Builder lambda(String functionArnOrPlaceholder, Function<JsonNode, JsonNode> function) {
            lambdas.put(functionArnOrPlaceholder, function);
            return this;
        }

        /** Called with each Wait state's duration, in execution order, before the next state runs. */
        public Builder onWait(Consumer<Duration> listener) {
            this.onWait = Objects.requireNonNull(listener);
            return this;
        }

        /** Called with the back-off AWS would apply before each retry (not jittered). */
        public Builder onRetryDelay(Consumer<Duration> listener) {
            this.onRetryDelay = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * The simulated "now", for Wait states with Timestamp/TimestampPath. Default: the real start time of the
         * execution plus all simulated waiting so far.
         */
        public Builder clock(Supplier<Instant> clock) {
            this.clock = clock;
            return this;
        }

        /** The node executable. Default: $CACHEKEEPER_NODE, else the first {@code node} on PATH. */
        public Builder node(Path node) {
            this.node = node;
            return this;
        }

        /** The folder holding package.json and harness/. Default: found by walking up from the working directory. */
        public Builder statemachinesDir(Path dir) {
            this.statemachinesDir = dir;
            return this;
        }

        /** Upper bound for one execution in real time; node is killed after it. Default 60 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** $$.Execution.Name (default local-N). */
        public Builder executionName(String name) {
            this.executionName = name;
            return this;
        }

        public LocalStateMachine build() {
            return new LocalStateMachine(this);
        }
    }
}
