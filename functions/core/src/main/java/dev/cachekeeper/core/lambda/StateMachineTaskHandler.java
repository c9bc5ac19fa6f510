package dev.cachekeeper.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * The entry point of a Step Functions task (or a direct invoke): the input object read as a map, one step run inside
 * {@link Invocations#run} (logging context, metrics flushed always), its result written back as a JSON object.
 * Exceptions propagate unchanged, so the state machine's Retry and Catch see the error names they expect. A stream
 * handler, so the runtime does not load its own serializer at cold start ({@link StreamHandlers}).
 */
public abstract class StateMachineTaskHandler implements RequestStreamHandler {
    protected final Metrics metrics;

    protected StateMachineTaskHandler(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StreamHandlers.write(output, handle(StreamHandlers.readMap(input), context));
    }

    /** The same on an already-read task input, for tests. */
    public final Map<String, Object> handle(Map<String, Object> input, Context context) {
        return Invocations.run(context, metrics, () -> StreamHandlers.asMap(step(input)));
    }

    /** The task's one step; its result (a JSON tree, a record, a map) becomes the task's output. */
    protected abstract Object step(Map<String, Object> input);
}
