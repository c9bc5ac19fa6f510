package dev.cachekeeper.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.core.config.plugins.processor.PluginEntry;

/**
 * Which Log4j plugins the packed jar registers. Log4j loads the class of every plugin its caches list when it starts
 * (about 250 in log4j-core and the JSON layout: Kafka, JDBC, SMTP, rolling files...), and the Lookup plugins it
 * also instantiates, so a function that logs JSON to the console pays for all of them on every cold start. The
 * list is a file of {@code category:name} lines ({@code category:*} keeps a whole category; names as Log4j's
 * caches spell them, lower case); a plugin left out stays in the jar but is never looked up.
 */
record KeptLog4jPlugins(Map<String, Set<String>> byCategory) {
    static final String ALL = "*";

    /** Keeps every plugin: for inputs with no list. */
    static KeptLog4jPlugins everything() {
        return new KeptLog4jPlugins(null);
    }

    static KeptLog4jPlugins read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--log4j-plugins " + file + " does not exist");
        }
        Map<String, Set<String>> kept = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceAll("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1 || line.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected category:name or"
                        + " category:*, found '" + line + "'");
            }
            kept.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>())
                    .add(line.substring(colon + 1).toLowerCase(Locale.ROOT));
        }
        return new KeptLog4jPlugins(kept);
    }

    /**
     * Removes, in place, the plugins not kept from Log4j's merged cache (category to plugin key to entry). A kept
     * name that no cache lists is an error: a typo would otherwise drop a plugin the configuration needs.
     */
    void filter(Map<String, Map<String, PluginEntry>> categories) {
        if (byCategory == null) {
            return;
        }
        List<String> missing = new ArrayList<>();
        byCategory.forEach((category, names) -> {
            Map<String, PluginEntry> present = categories.getOrDefault(category, Map.of());
            for (String name : names) {
                if (name.equals(ALL) ? present.isEmpty() : !present.containsKey(name)) {
                    missing.add(category + ":" + name);
                }
            }
        });
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the Log4j plugin list keeps " + missing + ", which no jar's plugin cache"
                    + " registers (a typo, or a library that is no longer a dependency)");
        }
        categories.entrySet().removeIf(c -> {
            Set<String> names = byCategory.getOrDefault(c.getKey(), Set.of());
            if (!names.contains(ALL)) {
                c.getValue().keySet().removeIf(name -> !names.contains(name));
            }
            return c.getValue().isEmpty();
        });
    }
}
