package dev.cachekeeper.packaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} pairs, every one required; a wrong call names what is missing or unknown. */
final class Arguments {
    private Arguments() {
    }

    static Map<String, String> parse(String[] args, String... required) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!List.of(required).contains(args[i])) {
                throw new IllegalArgumentException("unknown argument " + args[i] + " (expected " + String.join(", ",
                        required) + ")");
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            values.put(args[i], args[++i]);
        }
        for (String r : required) {
            if (!values.containsKey(r)) {
                throw new IllegalArgumentException("missing " + r + " (expected " + String.join(", ", required) + ")");
            }
        }
        return values;
    }
}
