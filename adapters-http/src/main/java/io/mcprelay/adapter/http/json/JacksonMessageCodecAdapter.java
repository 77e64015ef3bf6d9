package io.mcprelay.adapter.http.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.domain.jsonrpc.Classification;
import io.mcprelay.domain.jsonrpc.JsonRpcClassifier;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes JSON-RPC payloads with Jackson's streaming parser, in one pass and without building a
 * tree of the whole message: ids keep their JSON literal, only {@code params}, {@code result} and
 * {@code error} are looked into for the few facts the proxy needs. The rules live in the domain's
 * {@link JsonRpcClassifier}; this class only reports what it saw.
 *
 * <p>Strict: duplicate keys, trailing data, invalid UTF-8 and nesting deeper than
 * {@value #MAX_NESTING} are malformed input.
 */
public final class JacksonMessageCodecAdapter implements MessageCodecPort {

    static final int MAX_NESTING = 64;
    static final int MAX_BATCH = 1_000;

    /**
     * Jackson's buffers come from a shared bounded pool, not its default per-thread one: the relay
     * runs a virtual thread per connection, so a per-thread pool recycles nothing across connections
     * and keeps a set of buffers alive for as long as each open event stream (docs/benchmarks.md,
     * memory per stream).
     */
    private final JsonFactory factory = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).maxNumberLength(100).build())
            .build();

    @Override
    public DecodedPayload decode(byte[] utf8Json) {
        try (JsonParser parser = factory.createParser(utf8Json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new DecodedPayload.Malformed("empty body");
            }
            DecodedPayload decoded = switch (first) {
                case START_OBJECT -> single(parser);
                case START_ARRAY -> batch(parser);
                default -> {
                    parser.skipChildren();
                    yield new DecodedPayload.Invalid("a JSON-RPC payload is an object or an array of objects");
                }
            };
            if (parser.nextToken() != null) {
                return new DecodedPayload.Malformed("unexpected data after the JSON value");
            }
            return decoded;
        } catch (JsonProcessingException e) {
            return new DecodedPayload.Malformed(e.getOriginalMessage());
        } catch (IOException e) {
            return new DecodedPayload.Malformed("unreadable: " + e.getMessage());
        }
    }

    private static DecodedPayload single(JsonParser parser) throws IOException {
        return switch (JsonRpcClassifier.classify(MessageShapeReader.read(parser))) {
            case Classification.Valid valid -> new DecodedPayload.Decoded(new JsonRpcPayload.Single(valid.message()));
            case Classification.Invalid invalid -> new DecodedPayload.Invalid(invalid.reason());
        };
    }

    private static DecodedPayload batch(JsonParser parser) throws IOException {
        List<JsonRpcMessage> messages = new ArrayList<>();
        String firstProblem = null;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (messages.size() >= MAX_BATCH) {
                // skip (not read) the rest of the array, so the caller's trailing-data check sees its end
                // and the client is told what is wrong rather than "unexpected data"
                for (JsonToken rest = token; rest != null && rest != JsonToken.END_ARRAY; rest = parser.nextToken()) {
                    parser.skipChildren();
                }
                return new DecodedPayload.Invalid("a batch holds at most " + MAX_BATCH + " messages");
            }
            if (token != JsonToken.START_OBJECT) {
                parser.skipChildren();
                firstProblem = firstProblem != null ? firstProblem : "batch element " + (messages.size() + 1) + " is not an object";
                messages.add(null);
                continue;
            }
            switch (JsonRpcClassifier.classify(MessageShapeReader.read(parser))) {
                case Classification.Valid valid -> messages.add(valid.message());
                case Classification.Invalid invalid -> {
                    firstProblem = firstProblem != null ? firstProblem : "batch element " + (messages.size() + 1) + ": " + invalid.reason();
                    messages.add(null);
                }
            }
        }
        if (firstProblem != null) {
            return new DecodedPayload.Invalid(firstProblem);
        }
        if (messages.isEmpty()) {
            return new DecodedPayload.Invalid("an empty batch is not a valid JSON-RPC payload");
        }
        return new DecodedPayload.Decoded(new JsonRpcPayload.Batch(messages));
    }
}
