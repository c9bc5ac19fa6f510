package dev.cachekeeper.core.lambda;

/**
 * Trains a JDK 25 ahead-of-time class cache (JEP 483/514) for one function without any AWS account:
 * {@code java -XX:AOTCacheOutput=app.aot -cp 'lib/*' dev.cachekeeper.core.lambda.AotTraining <handler class>}.
 * It builds the handler (its Dagger graph and clients) and runs the same warm-up SnapStart priming runs, whose AWS
 * requests are stopped before they leave the process; the cache is written when the JVM exits.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: AotTraining <handler class, e.g. dev.cachekeeper.failover.FailoverObserverHandler>");
            System.exit(2);
        }
        String className = args[0].contains("::") ? args[0].substring(0, args[0].indexOf("::")) : args[0];
        Class.forName(className).getDeclaredConstructor().newInstance();
        int warmUps = Priming.primeAll();
        if (warmUps == 0) {
            System.err.println(className + " registers no priming warm-up: the cache would hold start-up classes only");
            System.exit(1);
        }
        System.err.println("AOT training ran " + warmUps + " warm-up(s) of " + className);
    }
}
