package dev.cachekeeper.core.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.json.JsonConfiguration;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.junit.jupiter.api.Test;

/**
 * The packed jars register only the Log4j plugins in {@code log4j-plugins.txt}; a plugin the configuration uses but
 * the list leaves out would cost every function its JSON logs. These tests tie the list to what uses it: core's
 * {@code log4j2.json} (its elements and lookups) and Powertools' event template (its resolvers).
 */
class Log4jConfigurationTest {
    private static final ObjectMapper COMMENTED_JSON = new ObjectMapper()
            .configure(JsonParser.Feature.ALLOW_COMMENTS, true);
    private static final Pattern LOOKUP = Pattern.compile("\\$\\{(\\w+):");

    @Test
    void log4jIsConfiguredFromCoresJsonFileWithTheLambdaJsonLayout() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);

        assertInstanceOf(JsonConfiguration.class, context.getConfiguration(),
                "configured from " + context.getConfiguration().getName());
        ConsoleAppender console = assertInstanceOf(ConsoleAppender.class,
                context.getConfiguration().getAppender("JsonAppender"));
        assertInstanceOf(JsonTemplateLayout.class, console.getLayout());
    }

    @Test
    void everyElementOfTheConfigurationIsAKeptCorePlugin() throws IOException {
        JsonNode configuration = COMMENTED_JSON.readTree(resource("log4j2.json")).path("Configuration");
        Set<String> elements = new TreeSet<>();
        collectElements(configuration, elements);

        assertTrue(elements.contains("jsontemplatelayout"), "read the elements: " + elements);
        Set<String> kept = kept().getOrDefault("core", Set.of());
        assertEquals(Set.of(), elements.stream().filter(e -> !kept.contains(e)).collect(Collectors.toSet()),
                "elements of log4j2.json that log4j-plugins.txt does not keep (category core)");
    }

    @Test
    void everyLookupOfTheConfigurationIsKept() throws IOException {
        String text = new String(resource("log4j2.json").readAllBytes());
        Set<String> lookups = new TreeSet<>();
        Matcher m = LOOKUP.matcher(text);
        while (m.find()) {
            lookups.add(m.group(1).toLowerCase(Locale.ROOT));
        }

        assertEquals(Set.of("env", "sys"), lookups);
        assertTrue(kept().getOrDefault("lookup", Set.of()).containsAll(lookups), "lookup:env and lookup:sys kept");
        assertTrue(kept().getOrDefault("configurationfactory", Set.of()).contains("jsonconfigurationfactory"),
                "the factory that reads log4j2.json is kept");
    }

    @Test
    void everyResolverOfPowertoolsEventTemplateIsKept() throws IOException {
        Set<String> resolvers = new TreeSet<>();
        COMMENTED_JSON.readTree(resource("LambdaJsonLayout.json")).findValues("$resolver")
                .forEach(r -> resolvers.add(r.asText()));

        assertTrue(resolvers.contains("powertools"), "read the template: " + resolvers);
        Set<String> kept = kept().getOrDefault("jsontemplateresolverfactory", Set.of());
        for (String resolver : resolvers) {
            assertTrue(kept.contains("*") || kept.contains(resolver + "resolverfactory"),
                    "resolver '" + resolver + "' of LambdaJsonLayout.json is not kept in log4j-plugins.txt");
        }
    }

    /** Log4j's JSON configuration: an object or an array of objects is an element; a string is an attribute. */
    private static void collectElements(JsonNode node, Set<String> into) {
        node.properties().forEach(e -> {
            JsonNode value = e.getValue();
            if (value.isObject() || value.isArray()) {
                into.add(e.getKey().toLowerCase(Locale.ROOT));
                if (value.isObject()) {
                    collectElements(value, into);
                } else {
                    value.forEach(item -> collectElements(item, into));
                }
            }
        });
    }

    private static Map<String, Set<String>> kept() throws IOException {
        return Files.readAllLines(Path.of("log4j-plugins.txt")).stream()
                .map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty())
                .collect(Collectors.groupingBy(l -> l.substring(0, l.indexOf(':')),
                        Collectors.mapping(l -> l.substring(l.indexOf(':') + 1), Collectors.toSet())));
    }

    private static InputStream resource(String name) {
        InputStream in = Log4jConfigurationTest.class.getClassLoader().getResourceAsStream(name);
        assertTrue(in != null, name + " is on the class path");
        return in;
    }
}
