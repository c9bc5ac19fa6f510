package dev.cachekeeper.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cachekeeper.benchmark.FirstEventProfile.Share;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FirstEventProfileTest {
    private static final String LOOP = "com/amazonaws/services/lambda/runtime/api/client/AWSLambda.startRuntimeLoop";
    private static final String HANDLER = "dev/cachekeeper/failover/FailoverObserverHandler.handleRequest";
    private static final String CLAIM = "software/amazon/awssdk/services/dynamodb/DefaultDynamoDbClient.putItem";
    private static final String ALERT = "software/amazon/awssdk/services/sns/DefaultSnsClient.publish";

    /** One start's wall-clock stacks, as async-profiler collapses them with {@code threads}. */
    private static List<String> start(long claim, long alert, long ownCode) {
        return List.of(
                // the first request pays the first TLS handshake: the request's, waiting or not
                "[main tid=7];" + LOOP + ";" + HANDLER + ";" + CLAIM
                        + ";sun/security/ssl/SSLSocketImpl.startHandshake " + (claim - 10),
                "[main tid=7];" + LOOP + ";" + HANDLER + "_[j];" + CLAIM
                        + "_[j];java/net/SocketInputStream.read;poll 10",
                "[main tid=7];" + LOOP + ";" + HANDLER + ";" + ALERT + " " + alert,
                "[main tid=7];" + LOOP + ";" + HANDLER + ";org/apache/logging/log4j/core/Logger.log " + ownCode,
                // the runtime client waiting for the next event, the JVM's start and the handler's construction
                "[main tid=7];" + LOOP + ";com/amazonaws/services/lambda/runtime/api/client/runtimeapi/"
                        + "LambdaRuntimeApiClientImpl.nextInvocation;poll 400",
                "[main tid=7];JavaMain;Threads::create_vm 90",
                "[main tid=7];com/amazonaws/services/lambda/runtime/api/client/AWSLambda.main;"
                        + "dev/cachekeeper/failover/FailoverObserverHandler.<init> 300",
                // another thread, even one in a request: not the first event's main thread
                "[C1 CompilerThre tid=9];Compiler::compile_method 200",
                "[pool-1-thread-1 tid=12];" + HANDLER + ";" + CLAIM + " 50",
                "");
    }

    @Test
    void eachMainThreadSampleOfTheHandlerCountsForTheRequestOnItsStack() {
        FirstEventProfile p = new FirstEventProfile(1);
        p.add(start(240, 60, 100).stream());

        assertEquals(List.of(new Share(FirstEventProfile.ALL, 400, 400, 400),
                new Share("DynamoDb putItem", 240, 240, 240),
                new Share(FirstEventProfile.NO_REQUEST, 100, 100, 100),
                new Share("Sns publish", 60, 60, 60)), p.shares());
    }

    @Test
    void initPrimingAndOtherThreadsAreNotTheFirstEvent() {
        // priming runs the handler before the runtime client's loop starts
        String[] priming = ("[main tid=7];dev/cachekeeper/benchmark/PrimedRuntime.main;" + HANDLER + ";" + CLAIM)
                .split(";");
        String[] worker = ("[pool-1-thread-1 tid=12];" + LOOP + ";" + HANDLER + ";" + CLAIM).split(";");
        String[] waiting = ("[main tid=7];" + LOOP + ";com/amazonaws/services/lambda/runtime/api/client/"
                + "runtimeapi/LambdaRuntimeApiClientImpl.nextInvocation").split(";");

        assertEquals(Optional.empty(), FirstEventProfile.where(priming));
        assertEquals(Optional.empty(), FirstEventProfile.where(worker));
        assertEquals(Optional.empty(), FirstEventProfile.where(waiting));
    }

    @Test
    void figuresAreMediansOverTheStartsWithTheLeastAndTheMost() {
        FirstEventProfile p = new FirstEventProfile(2);
        p.add(start(240, 60, 100).stream());
        p.add(start(300, 20, 90).stream());
        p.add(start(250, 50, 120).stream());
        // a start whose first event made no request to SNS counts 0 ms there
        p.add(List.of("[main tid=7];" + LOOP + ";" + HANDLER + ";" + CLAIM + " 260").stream());

        List<Share> shares = p.shares();
        // ms = samples x 2; with 4 starts the median is the upper middle one
        assertEquals(new Share(FirstEventProfile.ALL, 820, 520, 840), shares.get(0));
        assertEquals(new Share("DynamoDb putItem", 520, 480, 600), shares.get(1));
        assertEquals(new Share(FirstEventProfile.NO_REQUEST, 200, 0, 240), shares.get(2));
        assertEquals(new Share("Sns publish", 100, 0, 120), shares.get(3));
        assertEquals(4, shares.size());
    }

    @Test
    void theReportNamesEachFunctionOnceAndListsWhereItsFirstEventWent() {
        FirstEventProfile p = new FirstEventProfile(1);
        p.add(start(240, 60, 100).stream());

        String table = Report.firstEvents(List.of(new Report.FirstEvent("FailoverObserverFunction", "tiered-c1", p)),
                3);

        assertTrue(table.contains("| FailoverObserverFunction | tiered-c1 | first event in all | 400 (400–400) |\n"
                + "|  |  | DynamoDb putItem | 240 (240–240) |\n"), table);
        assertTrue(table.contains("from 3 more starts"), table);
    }

    @Test
    void aLineWithoutACountIsRefusedByContent() {
        FirstEventProfile p = new FirstEventProfile(1);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.add(List.of("[main tid=7];" + LOOP).stream()));
        assertTrue(e.getMessage().contains(LOOP), e.getMessage());
    }
}
