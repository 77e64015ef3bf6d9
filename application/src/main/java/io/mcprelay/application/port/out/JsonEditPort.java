package io.mcprelay.application.port.out;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Edits JSON documents for the interceptors (a redacted member, a filtered tool list, a batch taken
 * apart). Only called for messages an interceptor acts on: the relay otherwise forwards the original
 * bytes untouched. An edited document is a re-serialisation of the original; everything not edited
 * keeps its value.
 */
public interface JsonEditPort {

    /**
     * The elements of a JSON array, each exactly as written in {@code json}.
     *
     * @throws IllegalArgumentException if {@code json} is not one well-formed JSON array
     */
    List<String> arrayElements(String json);

    /**
     * {@code json} with the value at {@code pointer} (RFC 6901) replaced by {@code replacementJson},
     * or empty when {@code json} has no such member (or is not well-formed JSON).
     */
    Optional<String> replaceAt(String json, String pointer, String replacementJson);

    /**
     * A {@code tools/list} response without the tools in {@code result.tools} whose {@code name}
     * {@code hidden} accepts; empty when it lists none of them.
     */
    Optional<String> removeTools(String json, Predicate<String> hidden);

    /** {@code true} if {@code text} is exactly one well-formed JSON value. */
    boolean isJson(String text);
}
