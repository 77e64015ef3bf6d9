package io.mcprelay.adapter.http.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads the MCP facts from a {@code params} or {@code result} value: its top-level
 * {@code protocolVersion} and {@code name}, and {@code clientInfo.name}/{@code clientInfo.version}.
 * Everything else is skipped without being materialised.
 */
final class FactsReader {

    private static final int MAX_FACT_LENGTH = 1_024;

    private Optional<String> protocolVersion = Optional.empty();
    private Optional<String> name = Optional.empty();
    private Optional<String> clientName = Optional.empty();
    private Optional<String> clientVersion = Optional.empty();

    void read(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (field) {
                case "protocolVersion" -> protocolVersion = string(parser, token);
                case "name" -> name = string(parser, token);
                case "clientInfo" -> readClientInfo(parser, token);
                default -> parser.skipChildren();
            }
        }
    }

    private void readClientInfo(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (field) {
                case "name" -> clientName = string(parser, token);
                case "version" -> clientVersion = string(parser, token);
                default -> parser.skipChildren();
            }
        }
    }

    private static Optional<String> string(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            parser.skipChildren();
            return Optional.empty();
        }
        String text = parser.getText();
        return text.length() > MAX_FACT_LENGTH ? Optional.empty() : Optional.of(text);
    }

    Optional<String> protocolVersion() {
        return protocolVersion;
    }

    Optional<String> name() {
        return name;
    }

    Optional<String> clientName() {
        return clientName;
    }

    Optional<String> clientVersion() {
        return clientVersion;
    }
}
