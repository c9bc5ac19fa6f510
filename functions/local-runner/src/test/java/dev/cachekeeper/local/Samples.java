package dev.cachekeeper.local;

import dev.cachekeeper.contract.SamTemplate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The checkout under test and its samples (see {@link SampleTargets}). */
final class Samples {
    static final Checkout CHECKOUT = Checkout.current();

    private Samples() {
    }

    static SamTemplate template() throws IOException {
        return SamTemplate.load(CHECKOUT.template());
    }

    static List<Path> all() throws IOException {
        return SampleTargets.all(CHECKOUT);
    }

    static List<String> owners(SamTemplate template, Path sample) throws IOException {
        return SampleTargets.owners(template, sample);
    }

    static List<SampleTargets.Target> targets() throws IOException {
        return SampleTargets.targets(CHECKOUT);
    }
}
