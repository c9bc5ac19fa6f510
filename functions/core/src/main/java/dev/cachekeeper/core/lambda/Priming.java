package dev.cachekeeper.core.lambda;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart priming: before Lambda takes the snapshot, run the function's real code path once on a sample event,
 * so the classes it needs (JSON, SDK marshalling and signing, our services) are loaded and initialised in the
 * snapshot instead of on the first real event. Every AWS request made meanwhile is stopped by
 * {@link PrimingInterceptor} just before it would leave the process: priming never calls AWS.
 *
 * <p>CRaC holds resources weakly, so the handler keeps the returned instance in a field.
 */
public final class Priming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);
    private static final java.util.List<Priming> REGISTERED = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Runnable warmUp;
    private volatile int runs;

    private Priming(Runnable warmUp) {
        this.warmUp = warmUp;
    }

    public static Priming register(Runnable warmUp) {
        Priming p = new Priming(warmUp);
        Core.getGlobalContext().register(p);
        REGISTERED.add(p);
        return p;
    }

    /** Runs every registered warm-up; what an AOT-cache training run does instead of a checkpoint. */
    public static int primeAll() {
        REGISTERED.forEach(Priming::prime);
        return REGISTERED.size();
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: clients resolve credentials per request through the default chain.
    }

    /** Runs the warm-up with AWS calls short-circuited; a failure here must never stop the snapshot. */
    public void prime() {
        long start = System.nanoTime();
        try {
            PrimingInterceptor.during(warmUp);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("priming stopped early: {}", e.toString());
        }
        runs++;
        LOG.info("primed in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    /** How often priming has run; the priming test checks the hook is wired. */
    public int runs() {
        return runs;
    }
}
