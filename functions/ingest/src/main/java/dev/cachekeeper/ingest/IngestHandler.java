package dev.cachekeeper.ingest;

import dev.cachekeeper.core.lambda.LocalContext;
import dev.cachekeeper.core.lambda.PrimingEvents;
import dev.cachekeeper.core.lambda.Priming;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cachekeeper.core.Json;
import dev.cachekeeper.core.lambda.Invocations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * The ingest function: one handler for its four triggers (SNS, serverless EventBridge events, CloudTrail calls, the
 * DescribeEvents schedule), so users deploy one function with one role. A stream handler, because the triggers
 * deliver different event types and the dispatcher tells them apart by shape. Answers with what it did.
 */
public final class IngestHandler implements RequestStreamHandler {
    private final IngestDispatcher dispatcher;
    private final Metrics metrics;
    /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
    private Priming priming;

    public IngestHandler() {
        this(DaggerIngestComponent.create());
        byte[] sample = PrimingEvents.bytes("sns-failover-complete-keyed.json");
        priming = Priming.register(() -> {
            try {
                handleRequest(new java.io.ByteArrayInputStream(sample), OutputStream.nullOutputStream(),
                        new LocalContext("priming"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private IngestHandler(IngestComponent component) {
        this(component.dispatcher(), component.metrics());
    }

    public IngestHandler(IngestDispatcher dispatcher, Metrics metrics) {
        this.dispatcher = dispatcher;
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] bytes = input.readAllBytes();
        Tally tally = Invocations.run(context, metrics,
                () -> dispatcher.dispatch(bytes, () -> Duration.ofMillis(context.getRemainingTimeInMillis())));
        Json.MAPPER.writeValue(output, tally.toMap());
    }
}
