package dev.cachekeeper.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A reading of async-profiler's collapsed stacks ({@code collapsed,threads}), one start at a time. */
interface CollapsedStacks {
    /** Adds one start's stacks: {@code [thread];frame;frame... count} per line, the outermost frame first. */
    void add(Stream<String> collapsed);

    /** Adds each start's stacks from the file the profiler wrote for it. */
    default void addAll(List<Path> files) throws IOException {
        for (Path f : files) {
            try (Stream<String> lines = Files.lines(f)) {
                add(lines);
            }
        }
    }

    /** One line: the thread, then the frames outermost first, and how many samples had that stack. */
    record Stack(String[] frames, long samples) {
        static Stack parse(String line) {
            int space = line.lastIndexOf(' ');
            try {
                return new Stack(line.substring(0, space).split(";"),
                        Long.parseLong(line.substring(space + 1).strip()));
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("not a collapsed stack line (no sample count at its end): "
                        + line);
            }
        }
    }
}
