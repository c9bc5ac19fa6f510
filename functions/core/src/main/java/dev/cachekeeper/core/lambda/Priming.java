package dev.cachekeeper.core.lambda;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart priming: before Lambda takes the snapshot, run the function's real code path once on a sample event,
 * so the classes it needs (JSON, SDK marshalling and signing, our services) are loaded and initialised in the
 * snapshot instead of on the first real event. No AWS request made meanwhile leaves the process: each is answered
 * with an empty success by {@link PrimingHttpClient}, so the response is read and the code after it runs, or, where
 * no such answer fits, stopped by {@link PrimingInterceptor} just before it would be sent.
 *
 * <p>CRaC holds resources weakly, so the handler keeps the returned instance in a field.
 */
public final class Priming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);
    private static final java.util.List<Priming> REGISTERED = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The TLS step is the JVM's, not a handler's: once per process. */
    private static volatile TlsWarmUp.Result tls;
    private final Runnable warmUp;
    private volatile int runs;
    private volatile String stoppedEarly;

    private Priming(Runnable warmUp) {
        this.warmUp = warmUp;
    }

    public static Priming register(Runnable warmUp) {
        Priming p = new Priming(warmUp);
        Core.getGlobalContext().register(p);
        REGISTERED.add(p);
        return p;
    }

    /** The warm-ups registered so far, oldest first. */
    public static java.util.List<Priming> registered() {
        return java.util.List.copyOf(REGISTERED);
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

    /**
     * Runs the warm-up with AWS calls short-circuited; a failure here must never stop the snapshot. The warm-up's
     * own log records (about made-up answers and requests stopped on purpose) are silenced so an operator reading the
     * function's logs never sees failures that did not happen; one record before and after says priming ran.
     */
    public void prime() {
        long start = System.nanoTime();
        LOG.info("priming: running the handler once on a sample event, no AWS call leaves the process");
        int answered = PrimingHttpClient.answered();
        int stopped = PrimingInterceptor.stopped();
        Level level = LogManager.getRootLogger().getLevel();
        Configurator.setRootLevel(Level.OFF);
        try {
            PrimingInterceptor.during(warmUp);
        } catch (RuntimeException | LinkageError e) {
            stoppedEarly = e.toString();
        } finally {
            Configurator.setRootLevel(level);
        }
        String tlsNote = warmUpTls();
        runs++;
        Report report = new Report((System.nanoTime() - start) / 1_000_000, PrimingHttpClient.answered() - answered,
                PrimingInterceptor.stopped() - stopped, stoppedEarly, tls);
        // The report as a structured field: besides being searchable, it is an object, so Powertools serializes it
        // through its own JSON mapper, which the first real record with such a field would otherwise set up.
        LOG.info("primed in {} ms: {} AWS requests answered in memory, {} stopped{}{}", report.millis(),
                report.answered(), report.stopped(),
                stoppedEarly == null ? "" : " (warm-up ended with " + stoppedEarly + ")", tlsNote,
                entry("priming", report));
    }

    /** What one priming run did, logged with its last record. */
    public record Report(long millis, int answered, int stopped, String warmUpEndedWith, TlsWarmUp.Result tls) {
    }

    /** The warm-up's requests never reach TLS, which the first real request needs ({@link TlsWarmUp}). */
    private static synchronized String warmUpTls() {
        if (tls != null) {
            return "";
        }
        try {
            tls = TlsWarmUp.run();
            return "; TLS: key agreements " + tls.keyAgreements() + ", roots checked " + tls.certificatesChecked()
                    + ", in-memory handshake " + tls.handshake().protocol() + " " + tls.handshake().cipherSuite();
        } catch (java.security.GeneralSecurityException | java.io.IOException | RuntimeException e) {
            return "; TLS warm-up ended with " + e;
        }
    }

    /** What the TLS step exercised in this process, or null before priming ran (or when it failed). */
    public static TlsWarmUp.Result tlsWarmUp() {
        return tls;
    }

    /** How often priming has run; the priming test checks the hook is wired. */
    public int runs() {
        return runs;
    }
}
