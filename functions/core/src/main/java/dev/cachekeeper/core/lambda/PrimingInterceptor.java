package dev.cachekeeper.core.lambda;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.traits.TraitType;

/**
 * Installed on every SDK client cachekeeper builds. Outside priming it does nothing. During priming it lets the
 * request be marshalled and signed (the expensive first-time work); then {@link PrimingHttpClient} answers it, or,
 * when that client cannot (S3's REST calls), this stops it before transmission.
 */
public final class PrimingInterceptor implements ExecutionInterceptor {
    /**
     * Process-wide, not per thread: services fan work out to worker threads (the archiver's sweep), and a request
     * from any thread must be stopped while priming. Priming runs during init, when no real event is in flight.
     */
    private static volatile boolean active;
    private static final AtomicInteger STOPPED = new AtomicInteger();
    /** Shapes already loaded in this process: each answer's walk stops at what an earlier one covered. */
    private static final Set<Class<?>> LOADED_SHAPES = ConcurrentHashMap.newKeySet();

    /** Thrown instead of sending a request while priming. */
    public static final class PrimingStop extends RuntimeException {
        PrimingStop(String operation) {
            super("priming: " + operation + " not sent", null, false, false);
        }
    }

    static synchronized void during(Runnable work) {
        active = true;
        try {
            work.run();
        } finally {
            active = false;
        }
    }

    public static boolean active() {
        return active;
    }

    /** Requests stopped so far (tests check priming reached the SDK and sent nothing). */
    public static int stopped() {
        return STOPPED.get();
    }

    /**
     * An empty answer carries no list elements, so the model classes of what a real answer holds (a replication
     * group, its node groups and members) would first load on the first real event. While priming, this walks the
     * response's shapes through the SDK's own field metadata and makes an empty builder of each, which loads and
     * initialises their classes; no value is made up, and each shape is walked once per process.
     */
    @Override
    public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes executionAttributes) {
        if (active) {
            try {
                loadShapes(context.response(), LOADED_SHAPES);
            } catch (RuntimeException | LinkageError e) {
                // Only an aid: the first real answer loads what this could not, and the warm-up goes on.
            }
        }
    }

    /** Makes an empty builder of {@code pojo}'s shape and every shape under it; returns how many shapes. */
    static int loadShapes(SdkPojo pojo, Set<Class<?>> seen) {
        if (!seen.add(pojo.getClass())) {
            return 0;
        }
        int shapes = 1;
        for (SdkField<?> field : pojo.sdkFields()) {
            SdkField<?> structure = structureIn(field);
            if (structure != null) {
                shapes += loadShapes(structure.constructor().get(), seen);
            }
        }
        return shapes;
    }

    /** The structure a field holds: itself, its list's members or its map's values (nested); null for none. */
    private static SdkField<?> structureIn(SdkField<?> field) {
        SdkField<?> f = field;
        while (f != null) {
            if (f.marshallingType() == MarshallingType.SDK_POJO) {
                return f.constructor() == null ? null : f;
            }
            SdkField<?> inner = f;
            f = inner.getOptionalTrait(ListTrait.class, TraitType.LIST_TRAIT).map(ListTrait::memberFieldInfo)
                    .orElseGet(() -> inner.getOptionalTrait(MapTrait.class, TraitType.MAP_TRAIT)
                            .map(MapTrait::valueFieldInfo).orElse(null));
        }
        return null;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
        if (active && !PrimingHttpClient.canAnswer(context.httpRequest())) {
            STOPPED.incrementAndGet();
            throw new PrimingStop(context.httpRequest().getUri().getHost());
        }
    }
}
