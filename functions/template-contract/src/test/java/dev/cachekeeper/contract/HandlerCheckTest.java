package dev.cachekeeper.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HandlerCheckTest {
    static final String P = "dev.cachekeeper.contract.fixtures.Handlers$";
    final ClassLoader loader = getClass().getClassLoader();

    private String problem(String handler) {
        return HandlerCheck.problem(handler, loader);
    }

    @Test
    void acceptsTheShapesTheJavaRuntimeCalls() {
        assertNull(problem(P + "Typed"));
        assertNull(problem(P + "Typed::handleRequest"));
        assertNull(problem(P + "Stream"));
        assertNull(problem(P + "Stream::handleRequest"));
        assertNull(problem(P + "Plain::handle"));
        assertNull(problem(P + "Plain::streams"));
        assertNull(problem(P + "StaticOnly::handle"), "a static method needs no constructor");
    }

    @Test
    void rejectsWhatWouldFailAtColdStart() {
        assertTrue(problem("dev.cachekeeper.nope.Missing::handleRequest").contains("not on the class path"));
        assertTrue(problem(P + "Plain::absent").contains("no public method absent"));
        assertTrue(problem(P + "Plain::wrongShape").contains("no method of an accepted shape"));
        assertTrue(problem(P + "Plain::tooMany").contains("no method of an accepted shape"));
        assertTrue(problem(P + "NotAHandler").contains("implements neither RequestHandler nor RequestStreamHandler"));
        assertTrue(problem(P + "NoDefaultConstructor").contains("no public no-argument constructor"));
        assertTrue(problem(P + "Abstract").contains("abstract"));
        assertTrue(problem(P + "Plain::").contains("empty method name"));
    }

    @Test
    void checksEveryFunctionWithGlobalsMerged() {
        SamTemplate template = SamTemplate.parse("""
                Globals:
                  Function: {Runtime: java21, Handler: %sTyped}
                Resources:
                  Good: {Type: AWS::Serverless::Function, Properties: {CodeUri: .}}
                  Bad: {Type: AWS::Serverless::Function, Properties: {Handler: %sPlain::wrongShape}}
                  Node: {Type: AWS::Serverless::Function, Properties: {Runtime: nodejs22.x}}
                """.formatted(P, P));
        List<String> problems = HandlerCheck.check(template, loader);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("Bad: Handler "), problems.get(0));
        assertTrue(problems.get(1).startsWith("Node: Runtime is nodejs22.x"), problems.get(1));
    }

    @Test
    void noFunctionsNoProblems() {
        assertEquals(List.of(), HandlerCheck.check(SamTemplate.parse("Resources: {}"), loader));
    }
}
