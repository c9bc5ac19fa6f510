package dev.cachekeeper.core.lambda;

/**
 * The cold-start benchmark's stand-in for a SnapStart restore, which it cannot reproduce: the handler is built and
 * primed first (what Lambda does before it takes the snapshot), then the Lambda Runtime Interface Client starts and
 * serves the first event. The first invocation's duration is then what priming leaves for the first event after a
 * restore, less the restore itself:
 * {@code java -cp 'lib/*:<runtime client jars>' dev.cachekeeper.core.lambda.PrimedRuntime <handler>}.
 */
public final class PrimedRuntime {
    private static final String RUNTIME_CLIENT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    private PrimedRuntime() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: PrimedRuntime <handler, e.g. dev.cachekeeper.failover.FailoverObserverHandler>");
            System.exit(2);
        }
        AotTraining.buildAndPrime(args[0]);
        // The runtime client builds its own handler instance; it finds the classes loaded and the JIT warm, and
        // the clients already built (AwsAccount keeps one of each per process).
        Class.forName(RUNTIME_CLIENT).getMethod("main", String[].class).invoke(null, (Object) args);
    }
}
