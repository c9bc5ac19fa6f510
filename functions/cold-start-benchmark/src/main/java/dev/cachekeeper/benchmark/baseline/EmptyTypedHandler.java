package dev.cachekeeper.benchmark.baseline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/**
 * The floor for a typed handler: nothing but the runtime's own deserialization of the event into a Map and
 * serialization of the answer. Against {@link EmptyHandler} it shows what typed input costs at cold start.
 */
public class EmptyTypedHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return Map.of("keys", input.size());
    }
}
