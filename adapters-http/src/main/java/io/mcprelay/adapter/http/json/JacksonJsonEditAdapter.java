package io.mcprelay.adapter.http.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcprelay.application.port.out.JsonEditPort;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Edits JSON for the interceptors with Jackson. Batches are taken apart with the streaming parser,
 * each element cut out of the original text, so untouched messages keep their exact bytes. Edited
 * documents go through a tree whose numbers keep their precision (integers of any size, decimals
 * exact), so ids such as {@code 12345678901234567890} survive an edit. Limits as the codec's:
 * nesting {@value JacksonMessageCodecAdapter#MAX_NESTING} deep, duplicate keys refused.
 */
public final class JacksonJsonEditAdapter implements JsonEditPort {

    private static final String RESULT = "result";
    private static final String TOOLS = "tools";

    /** Buffers from a shared bounded pool, as in {@link JacksonMessageCodecAdapter}: threads are virtual. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(JacksonMessageCodecAdapter.MAX_NESTING).build())
            .build();

    /**
     * The tree mapper, built on the first edit that needs a tree. Setting up an {@link ObjectMapper}
     * loads about 330 classes of Jackson databind (some 4 % of the relay's start-up CPU time),
     * and a relay whose rules never edit (or that has no rules) never needs it. Shared: it is
     * thread-safe and configured the same for every instance.
     */
    private static final class Trees {
        static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();

        private Trees() {
        }
    }

    @Override
    public List<String> arrayElements(String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("not a JSON array");
            }
            List<String> elements = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new IllegalArgumentException("the array does not end");
                }
                int start = (int) parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                int end = (int) parser.currentLocation().getCharOffset();
                elements.add(json.substring(start, end));
            }
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("unexpected data after the array");
            }
            return elements;
        } catch (IOException e) {
            throw new IllegalArgumentException("not well-formed JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> replaceAt(String json, String pointer, String replacementJson) {
        Optional<JsonNode> root = tree(json);
        Optional<JsonNode> replacement = tree(replacementJson);
        if (root.isEmpty() || replacement.isEmpty()) {
            return Optional.empty();
        }
        JsonPointer path;
        try {
            path = JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        JsonNode parent = root.get().at(path.head());
        String last = path.last().getMatchingProperty();
        if (parent instanceof ObjectNode object && object.has(last)) {
            object.set(last, replacement.get());
        } else if (parent instanceof ArrayNode array && path.last().mayMatchElement()
                && path.last().getMatchingIndex() < array.size()) {
            array.set(path.last().getMatchingIndex(), replacement.get());
        } else {
            return Optional.empty();
        }
        return Optional.of(write(root.get()));
    }

    @Override
    public Optional<String> removeTools(String json, Predicate<String> hidden) {
        Optional<JsonNode> root = tree(json);
        if (root.isEmpty() || !(root.get().path(RESULT).path(TOOLS) instanceof ArrayNode tools)) {
            return Optional.empty();
        }
        boolean removed = false;
        for (Iterator<JsonNode> it = tools.elements(); it.hasNext(); ) {
            JsonNode name = it.next().path("name");
            if (name.isTextual() && hidden.test(name.textValue())) {
                it.remove();
                removed = true;
            }
        }
        return removed ? Optional.of(write(root.get())) : Optional.empty();
    }

    @Override
    public boolean isJson(String text) {
        return tree(text).isPresent();
    }

    private Optional<JsonNode> tree(String json) {
        try {
            return Optional.of(Trees.MAPPER.readTree(json)).filter(node -> !node.isMissingNode());
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private String write(JsonNode node) {
        try {
            return Trees.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written back: " + e.getMessage(), e);
        }
    }
}
