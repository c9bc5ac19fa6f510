package dev.cachekeeper.benchmark.baseline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;

/** The floor: a Java handler that does nothing. What the JVM and the runtime client cost on their own. */
public class EmptyHandler implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws java.io.IOException {
        output.write("{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
