package io.mcprelay.domain.bridge;

import static io.mcprelay.domain.bridge.JsonText.parseObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LegacyToModernTest {

    private static final JsonValue.Obj DISCOVER = parseObject("""
            {"supportedVersions":["2026-07-28"],
             "capabilities":{"tools":{"listChanged":true},"completions":{},"tasks":{},"extensions":{"io.x/y":{}},"logging":{}},
             "instructions":"Use echo","ttlMs":60000,"cacheScope":"public",
             "_meta":{"io.modelcontextprotocol/serverInfo":{"name":"v2","version":"1.0.0"}}}""");
    private static final JsonValue.Obj FALLBACK = parseObject("{\"name\":\"upstream\",\"version\":\"unknown\"}");

    @Test
    void initializeResultForTheNewestLegacyRevision() {
        assertThat(LegacyToModern.initializeResult(DISCOVER, "2025-11-25", FALLBACK)).isEqualTo(parseObject("""
                {"protocolVersion":"2025-11-25",
                 "capabilities":{"tools":{"listChanged":true},"completions":{},"tasks":{},"logging":{}},
                 "serverInfo":{"name":"v2","version":"1.0.0"},"instructions":"Use echo"}"""));
    }

    @Test
    void initializeResultDropsWhatAnOlderRevisionLacks() {
        JsonValue.Obj result = LegacyToModern.initializeResult(DISCOVER, "2024-11-05", FALLBACK);
        assertThat(result.str("protocolVersion")).contains("2024-11-05");
        assertThat(result.obj("capabilities").orElseThrow().members()).containsOnlyKeys("tools", "logging");
        assertThat(LegacyToModern.initializeResult(DISCOVER, "2025-03-26", FALLBACK).obj("capabilities").orElseThrow().members())
                .containsOnlyKeys("tools", "completions", "logging");
    }

    @Test
    void initializeResultWithoutServerInfoOrInstructions() {
        JsonValue.Obj result = LegacyToModern.initializeResult(parseObject("{\"supportedVersions\":[\"2026-07-28\"]}"), "2099-01-01", FALLBACK);
        assertThat(result).isEqualTo(parseObject("""
                {"protocolVersion":"2025-11-25","capabilities":{},"serverInfo":{"name":"upstream","version":"unknown"}}"""));
    }

    @ParameterizedTest
    @CsvSource({"2025-06-18,2025-06-18", "2024-11-05,2024-11-05", "2026-07-28,2025-11-25", "1999-01-01,2025-11-25"})
    void negotiatesTheRequestedLegacyVersionIfServed(String requested, String answered) {
        assertThat(LegacyToModern.negotiatedVersion(requested)).isEqualTo(answered);
    }

    @Test
    void sessionEnvelopeFromInitializeParams() {
        ModernEnvelope envelope = LegacyToModern.sessionEnvelope(parseObject("""
                {"protocolVersion":"2025-11-25","capabilities":{"elicitation":{}},"clientInfo":{"name":"v1","version":"1.32.2"}}"""));
        assertThat(envelope).isEqualTo(new ModernEnvelope("2026-07-28", parseObject("{\"elicitation\":{}}"),
                Optional.of(parseObject("{\"name\":\"v1\",\"version\":\"1.32.2\"}")), Optional.empty()));
        assertThat(LegacyToModern.sessionEnvelope(JsonValue.Obj.EMPTY).clientCapabilities()).isEqualTo(JsonValue.Obj.EMPTY);
    }

    @Test
    void dropsTheModernOnlyResultFieldsForALegacyClient() {
        assertThat(LegacyToModern.forLegacyClient(parseObject("""
                {"tools":[],"resultType":"complete","ttlMs":0,"cacheScope":"private","_meta":{"k":1}}""")))
                .isEqualTo(parseObject("{\"tools\":[],\"_meta\":{\"k\":1}}"));
    }

    @Test
    void knowsWhichLegacyMethodsItAnswersItself() {
        assertThat(LegacyToModern.answeredLocally("initialize")).isTrue();
        assertThat(LegacyToModern.answeredLocally("ping")).isTrue();
        assertThat(LegacyToModern.answeredLocally("logging/setLevel")).isTrue();
        assertThat(LegacyToModern.answeredLocally("resources/subscribe")).isTrue();
        assertThat(LegacyToModern.answeredLocally("resources/unsubscribe")).isTrue();
        assertThat(LegacyToModern.answeredLocally("tools/call")).isFalse();
        assertThatThrownBy(() -> LegacyToModern.answeredLocally(null)).isInstanceOf(NullPointerException.class);
    }
}
