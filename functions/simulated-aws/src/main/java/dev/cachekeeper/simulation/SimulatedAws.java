package dev.cachekeeper.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One simulated AWS account and region: the services behind their SDK v2 client interfaces, a controllable clock,
 * a call log and fault injection.
 *
 * <p>All services share one lock, so each call sees and leaves a consistent account even when a sweep calls from
 * several threads. Callbacks (SNS subscribers, EventBridge subscribers) run after the call that caused them has
 * released the lock, on the caller's thread.
 */
public final class SimulatedAws {
    public static final String DEFAULT_ACCOUNT_ID = "123456789012";
    public static final String DEFAULT_REGION = "eu-west-1";

    private final String accountId;
    private final String region;
    private final String partition;
    private final SimClock clock;
    private final CallLog callLog = new CallLog();
    private final Faults faults = new Faults();
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> afterUnlock = new ArrayList<>();
    private volatile Duration latency = Duration.ZERO;

    private final SimulatedSns sns;
    private final SimulatedEventBridge eventBridge;
    private final SimulatedDynamoDb dynamoDb;
    private final SimulatedS3 s3;
    private final SimulatedSecretsManager secretsManager;
    private final SimulatedSfn sfn;
    private final SimulatedElastiCache elastiCache;
    private final SimulatedResourceGroupsTagging tagging;

    /** Account 123456789012 in eu-west-1, clock at 2026-11-01T00:00:00Z. */
    public SimulatedAws() {
        this(DEFAULT_ACCOUNT_ID, DEFAULT_REGION, SimClock.DEFAULT_START);
    }

    public SimulatedAws(String accountId, String region, Instant start) {
        this.accountId = accountId;
        this.region = region;
        this.partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        this.clock = new SimClock(start);
        this.sns = new SimulatedSns(this);
        this.eventBridge = new SimulatedEventBridge(this);
        this.dynamoDb = new SimulatedDynamoDb(this);
        this.s3 = new SimulatedS3(this);
        this.secretsManager = new SimulatedSecretsManager(this);
        this.sfn = new SimulatedSfn(this);
        this.elastiCache = new SimulatedElastiCache(this);
        this.tagging = new SimulatedResourceGroupsTagging(this);
        clock.drivenBy(this::runUntil);
    }

    /** An account seeded from a world file (see docs/world-file.md). */
    public static SimulatedAws fromWorld(Path worldFile) {
        try {
            return fromWorld(Files.readString(worldFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read world file " + worldFile, e);
        }
    }

    /** An account seeded from world-file JSON text. */
    public static SimulatedAws fromWorld(String worldJson) {
        return World.load(worldJson);
    }

    /** An account seeded from a world shipped in this module ({@code default}, ...). */
    public static SimulatedAws fromBundledWorld(String name) {
        try (var in = SimulatedAws.class.getResourceAsStream("/worlds/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no bundled world named '" + name + "'");
            }
            return fromWorld(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The account's caches, snapshots, buckets and topics as they are now, in the world-file format. */
    public ObjectNode worldSnapshot() {
        return locked(() -> World.snapshot(this));
    }

    // ---- identity ----

    public String accountId() {
        return accountId;
    }

    public String region() {
        return region;
    }

    public String partition() {
        return partition;
    }

    // ---- services ----

    public SimulatedElastiCache elastiCache() {
        return elastiCache;
    }

    public SimulatedSns sns() {
        return sns;
    }

    public SimulatedEventBridge eventBridge() {
        return eventBridge;
    }

    public SimulatedDynamoDb dynamoDb() {
        return dynamoDb;
    }

    public SimulatedS3 s3() {
        return s3;
    }

    public SimulatedSecretsManager secretsManager() {
        return secretsManager;
    }

    public SimulatedSfn sfn() {
        return sfn;
    }

    /** GetResources over the ElastiCache resources' tags (the same tags ListTagsForResource returns). */
    public SimulatedResourceGroupsTagging resourceGroupsTagging() {
        return tagging;
    }

    // ---- time ----

    public SimClock clock() {
        return clock;
    }

    public Instant now() {
        return clock.now();
    }

    /** Moves the clock forward, running every time-driven transition that falls due, in time order. */
    public void advance(Duration d) {
        clock.advance(d);
    }

    public void advanceTo(Instant t) {
        clock.set(t);
    }

    /** The step loop: jump to the next due instant, run what is due there, repeat until {@code target}. */
    private void runUntil(Instant target) {
        locked(() -> {
            int stuck = 0;
            while (true) {
                Instant next = earliest(elastiCache.nextDue(), dynamoDb.nextExpiry());
                if (next == null || next.isAfter(target)) {
                    break;
                }
                if (next.isAfter(clock.now())) {
                    clock.moveTo(next);
                    stuck = 0;
                } else if (++stuck > 1000) {
                    // Something reports itself due but running it changes nothing: a bug in the simulation.
                    throw new IllegalStateException("simulation stuck at " + next + " while advancing to " + target);
                }
                elastiCache.runDue(clock.now());
                dynamoDb.expireItems(clock.now());
            }
            clock.moveTo(target);
            elastiCache.runDue(target);
            dynamoDb.expireItems(target);
            return null;
        });
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    // ---- call log, faults, latency ----

    public List<ApiCall> calls() {
        return callLog.calls();
    }

    public Map<String, List<ApiCall>> callsByOperation() {
        return callLog.byOperation();
    }

    public void clearCalls() {
        callLog.clear();
    }

    public CallLog callLog() {
        return callLog;
    }

    public Faults faults() {
        return faults;
    }

    /** Every call sleeps this long (really, outside the account lock) before it runs; for benchmarks. */
    public void setLatency(Duration latency) {
        this.latency = latency;
    }

    void simulateLatency() {
        Duration d = latency;
        if (!d.isZero()) {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during simulated latency", e);
            }
        }
    }

    // ---- the account lock ----

    /** Runs {@code body} holding the account lock; work queued with {@link #afterUnlock} runs once it is released. */
    <T> T locked(Supplier<T> body) {
        lock.lock();
        List<Runnable> todo = List.of();
        try {
            return body.get();
        } finally {
            if (lock.getHoldCount() == 1 && !afterUnlock.isEmpty()) {
                todo = new ArrayList<>(afterUnlock);
                afterUnlock.clear();
            }
            lock.unlock();
            todo.forEach(Runnable::run);
        }
    }

    /** Queues work (subscriber callbacks) for when the current holder releases the lock. Caller holds the lock. */
    void afterUnlock(Runnable r) {
        afterUnlock.add(r);
    }
}
