package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {

    private final JsonLogFormatter formatter = new JsonLogFormatter();

    @Test
    void aRecordAboutASessionCarriesItsIdAsAField() {
        LogRecord record = new LogRecord(Level.INFO, "session {0}: opened on upstream {1}");
        record.setParameters(new Object[] {"abc123", "primary"});
        record.setLoggerName("io.mcprelay.application.service.SessionOpener");

        String line = formatter.format(record);

        assertThat(line).endsWith("}\n").contains("\"level\":\"INFO\"").contains("\"session\":\"abc123\"")
                .contains("\"msg\":\"session abc123: opened on upstream primary\"")
                .contains("\"logger\":\"io.mcprelay.application.service.SessionOpener\"");
    }

    @Test
    void streamsGetAStreamFieldAndOtherRecordsNone() {
        LogRecord stream = new LogRecord(Level.WARNING, "stream {0}: upstream broke: {1}");
        stream.setParameters(new Object[] {"s-1", "reset"});
        LogRecord plain = new LogRecord(Level.INFO, "expired {0} idle sessions");
        plain.setParameters(new Object[] {3});

        assertThat(formatter.format(stream)).contains("\"stream\":\"s-1\"").doesNotContain("\"session\"");
        assertThat(formatter.format(plain)).doesNotContain("\"session\"").doesNotContain("\"stream\"");
    }

    @Test
    void escapesQuotesNewlinesAndControlCharacters() {
        LogRecord record = new LogRecord(Level.SEVERE, "client said \"hi\"\nand \u0001");

        assertThat(formatter.format(record)).contains("client said \\\"hi\\\"\\nand \\u0001").doesNotContain("\n\"");
    }

    @Test
    void levelsAreNamedInTheUsualWords() {
        assertThat(formatter.format(new LogRecord(Level.SEVERE, "x"))).contains("\"level\":\"ERROR\"");
        assertThat(formatter.format(new LogRecord(Level.WARNING, "x"))).contains("\"level\":\"WARN\"");
        assertThat(formatter.format(new LogRecord(Level.INFO, "x"))).contains("\"level\":\"INFO\"");
        assertThat(formatter.format(new LogRecord(Level.FINE, "x"))).contains("\"level\":\"DEBUG\"");
        assertThat(formatter.format(new LogRecord(Level.FINEST, "x"))).contains("\"level\":\"TRACE\"");
    }

    @Test
    void anUpstreamRecordCarriesItsNameAsAField() {
        LogRecord record = new LogRecord(Level.WARNING, "upstream {0}: health probe failed: {1}");
        record.setParameters(new Object[] {"primary", "refused"});

        assertThat(formatter.format(record)).contains("\"upstream\":\"primary\"").contains("\"level\":\"WARN\"");
    }

    @Test
    void anAccessLogLineBecomesFieldsOfTheirOwn() throws Exception {
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("client", "10.0.0.1");
        fields.put("http_method", "POST");
        fields.put("session", "s-1");
        fields.put("status", 200);
        fields.put("duration_ms", 12L);
        LogRecord record = new LogRecord(Level.INFO, "{0}");
        record.setParameters(new Object[] {new io.mcprelay.adapter.http.in.AccessLogLine(fields)});
        record.setLoggerName("mcp-relay.access");

        String line = formatter.format(record);

        assertThat(line).contains("\"msg\":\"10.0.0.1 POST - 200 session=s-1 duration_ms=12\"").contains("\"client\":\"10.0.0.1\"")
                .contains("\"session\":\"s-1\"").contains("\"status\":200").contains("\"duration_ms\":12");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("status").asInt()).isEqualTo(200);
    }
}
