package io.mcprelay.adapter.http.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the MCP facts from a {@code params} or {@code result} value: its top-level
 * {@code protocolVersion}, {@code name}, {@code uri}, {@code taskId} and {@code supportedVersions},
 * {@code clientInfo.name}/{@code clientInfo.version}, and the 2026-07-28 version claim
 * {@code _meta["io.modelcontextprotocol/protocolVersion"]}. Everything else is skipped without being
 * materialised.
 */
final class FactsReader {

    private static final int MAX_FACT_LENGTH = 1_024;
    /** At most this many {@code supportedVersions} are kept (a discover result lists a handful). */
    private static final int MAX_VERSIONS = 32;
    private static final String META_VERSION = "io.modelcontextprotocol/protocolVersion";

    private Optional<String> protocolVersion = Optional.empty();
    private Optional<String> name = Optional.empty();
    private Optional<String> clientName = Optional.empty();
    private Optional<String> clientVersion = Optional.empty();
    private Optional<String> uri = Optional.empty();
    private Optional<String> taskId = Optional.empty();
    private Optional<String> metaVersion = Optional.empty();
    private final List<String> supportedVersions = new ArrayList<>();

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
                case "uri" -> uri = string(parser, token);
                case "taskId" -> taskId = string(parser, token);
                case "_meta" -> readMeta(parser, token);
                case "supportedVersions" -> readVersions(parser, token);
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

    private void readMeta(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            if (META_VERSION.equals(field)) {
                metaVersion = string(parser, token);
            } else {
                parser.skipChildren();
            }
        }
    }

    private void readVersions(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return;
        }
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
            Optional<String> version = string(parser, token);
            if (version.isPresent() && supportedVersions.size() < MAX_VERSIONS) {
                supportedVersions.add(version.get());
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

    Optional<String> uri() {
        return uri;
    }

    Optional<String> taskId() {
        return taskId;
    }

    Optional<String> metaVersion() {
        return metaVersion;
    }

    List<String> supportedVersions() {
        return supportedVersions;
    }
}
