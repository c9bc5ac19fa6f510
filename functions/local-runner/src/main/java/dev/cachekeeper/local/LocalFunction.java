package dev.cachekeeper.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.aws.AwsAccount;
import dev.cachekeeper.core.lambda.LocalContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Supplier;

/**
 * One function of the template, run the way the Java Lambda runtime runs it: the class named by {@code Handler}
 * created once with its public no-arg constructor (so its real Dagger graph is built) while {@link AwsAccount#use}
 * names the account it should see, then called with the event deserialised to the handler's input type.
 */
public final class LocalFunction {
    /** The outcome of one invocation: the handler's return value, or the error the runtime would report. */
    public record Result(JsonNode output, String errorType, String errorMessage) {
        public boolean ok() {
            return errorType == null;
        }

        public JsonNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode();
            if (ok()) {
                n.set("output", output);
            } else {
                n.put("errorType", errorType);
                n.put("errorMessage", errorMessage);
            }
            return n;
        }
    }

    private final String logicalId;
    private final String functionName;
    private final String handler;
    private final Supplier<AwsAccount> account;
    private final Clock clock;
    private final Duration timeout;
    private Object instance;
    private Method method;

    public LocalFunction(String logicalId, String functionName, String handler, Supplier<AwsAccount> account,
                         Clock clock, Duration timeout) {
        this.logicalId = logicalId;
        this.functionName = functionName;
        this.handler = handler;
        this.account = account;
        this.clock = clock;
        this.timeout = timeout;
    }

    public String logicalId() {
        return logicalId;
    }

    public String handler() {
        return handler;
    }

    /** Invokes the handler with {@code event}; a thrown exception becomes an error result (as Lambda reports it). */
    public synchronized Result invoke(JsonNode event) {
        try {
            load();
            Context context = new LocalContext(functionName, clock, timeout);
            Class<?>[] p = method.getParameterTypes();
            if (p.length >= 2 && p[0] == InputStream.class && p[1] == OutputStream.class) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Object[] args = p.length == 3
                        ? new Object[]{new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)), out, context}
                        : new Object[]{new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event)), out};
                method.invoke(instance, args);
                return new Result(parse(out.toByteArray()), null, null);
            }
            Object input = convert(event, method.getGenericParameterTypes()[0], method.getParameterTypes()[0]);
            Object output = p.length == 2 ? method.invoke(instance, input, context) : method.invoke(instance, input);
            return new Result(output == null ? JsonNodeFactory.instance.nullNode() : Json.MAPPER.valueToTree(output),
                    null, null);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Result(null, cause.getClass().getName(), String.valueOf(cause.getMessage()));
        } catch (UsageException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            return new Result(null, e.getClass().getName(), String.valueOf(e.getMessage()));
        }
    }

    private void load() throws ReflectiveOperationException {
        if (instance != null) {
            return;
        }
        String className = handler;
        String methodName = "handleRequest";
        int sep = handler.indexOf("::");
        if (sep >= 0) {
            className = handler.substring(0, sep);
            methodName = handler.substring(sep + 2);
        }
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new UsageException(logicalId + ": handler class " + className
                    + " is not in the runner (add its module to functions/local-runner/pom.xml)", 1);
        }
        String name = methodName;
        // The most specific public method of that name: not the bridge handleRequest(Object, Context).
        method = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name) && !m.isBridge() && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getParameterCount() >= 1 && m.getParameterCount() <= 3)
                .max(Comparator.comparingInt(Method::getParameterCount))
                .orElseThrow(() -> new UsageException(logicalId + ": " + handler + " has no public method " + name, 1));
        AwsAccount.use(account.get());
        instance = type.getConstructor().newInstance();
    }

    private static Object convert(JsonNode event, Type generic, Class<?> raw) throws Exception {
        if (raw.getName().startsWith("com.amazonaws.services.lambda.runtime.events.")) {
            // The runtime's own serializer, so field names and dates read as in Lambda.
            return LambdaEventSerializers.serializerFor(raw, LocalFunction.class.getClassLoader())
                    .fromJson(Json.MAPPER.writeValueAsString(event));
        }
        if (raw == InputStream.class) {
            return new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(event));
        }
        if (raw == Object.class && generic == raw) {
            return Json.MAPPER.convertValue(event, Object.class);
        }
        return Json.MAPPER.convertValue(event, Json.MAPPER.constructType(generic));
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (Exception notJson) {
            return JsonNodeFactory.instance.textNode(new String(bytes, StandardCharsets.UTF_8));
        }
    }
}
