package dev.cachekeeper.core.event;

/** Raw input goes into logs and errors only in bounded size: a huge message must not become a huge log line. */
public final class Truncate {
    private Truncate() {
    }

    public static String of(String s, int max) {
        if (s == null) {
            return null;
        }
        return s.length() <= max ? s : s.substring(0, max) + "…(" + (s.length() - max) + " more chars)";
    }
}
