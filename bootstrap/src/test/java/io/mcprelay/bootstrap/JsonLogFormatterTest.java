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
}
