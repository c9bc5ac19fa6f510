package dev.cachekeeper.core.lambda;

/**
 * Trains a JDK 25 ahead-of-time class cache (JEP 483/514) for one function without any AWS account:
 * {@code java -XX:AOTCacheOutput=app.aot -cp 'lib/*' dev.cachekeeper.core.lambda.AotTraining <handler class>}.
 * It builds the handler (its Dagger graph and clients) and runs the same warm-up SnapStart priming runs, whose AWS
 * requests are answered in memory or stopped, never sent; the cache is written when the JVM exits.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: AotTraining <handler class, e.g. dev.cachekeeper.failover.FailoverObserverHandler>");
            System.exit(2);
        }
        int warmUps = buildAndPrime(args[0]);
        if (warmUps == 0) {
            System.err.println(args[0] + " registers no priming warm-up: the cache would hold start-up classes only");
            System.exit(1);
        }
        System.err.println("AOT training ran " + warmUps + " warm-up(s) of " + args[0]);
    }

    /** Builds the handler ({@code Class} or {@code Class::method}) as Lambda would, then runs its warm-ups. */
    static int buildAndPrime(String handler) throws ReflectiveOperationException {
        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        Class.forName(className).getDeclaredConstructor().newInstance();
        return Priming.primeAll();
    }
}
