package dev.cachekeeper.ingest;

/**
 * Events could not be put on the bus, or the de-duplication table could not be reached. Thrown (after everything
 * else in the invocation was done) so that Lambda retries the delivery a bounded number of times; the claims of the
 * failed events were released, so the retry publishes exactly those. The sweep is the backstop after that.
 */
public class IngestFailedException extends RuntimeException {
    public IngestFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
