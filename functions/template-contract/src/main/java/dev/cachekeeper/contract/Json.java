package dev.cachekeeper.contract;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The mapper the checks use to turn resolved template values and sample files into JSON text and back. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
