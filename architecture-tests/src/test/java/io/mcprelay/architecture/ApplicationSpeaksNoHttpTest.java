package io.mcprelay.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The use cases speak MCP, not HTTP (issue 17): HTTP statuses, methods and header names live in the
 * HTTP adapters only, so that a transport that is no HTTP (stdio) plugs in without faking it. Two
 * checks, kept simple: no class of the application is named or typed after HTTP, and the
 * application's code (comments aside: the inbound commands document the headers they come from)
 * names no HTTP header and reads no status.
 */
class ApplicationSpeaksNoHttpTest {

    /** The application's sources, from this module's directory (where Maven runs its tests). */
    static final Path APPLICATION_SOURCES = Path.of("..", "application", "src", "main", "java");

    /** What HTTP looks like in code: its headers' names as string literals, reading a status, its methods. */
    private static final List<Pattern> HTTP_IN_CODE = List.of(
            Pattern.compile("\"(mcp-session-id|last-event-id|mcp-protocol-version|accept|content-type|allow|retry-after)\"",
                    Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\.status\\(\\)"),
            Pattern.compile("\\b(GET|POST|DELETE)\\b"));

    @Test
    void noApplicationClassIsNamedOrTypedAfterHttp() {
        noClasses().that().resideInAPackage("io.mcprelay.application..")
                .should().haveSimpleNameContaining("Http")
                .orShould().dependOnClassesThat().haveSimpleNameContaining("Http")
                .orShould().dependOnClassesThat().resideInAnyPackage("java.net.http..", "io.helidon..")
                .because("the use cases speak MCP; HTTP lives in the HTTP adapters (issue 17)")
                .check(ImportedClasses.production());
    }

    @Test
    void theApplicationsCodeNamesNoHttpHeaderAndReadsNoStatus() {
        assertThat(APPLICATION_SOURCES).as("the application's sources, seen from architecture-tests").isDirectory();
        List<String> found = new ArrayList<>();
        for (Path file : sources()) {
            String code = withoutComments(read(file));
            String[] lines = code.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = withoutMessages(lines[i]);
                for (Pattern http : HTTP_IN_CODE) {
                    Matcher m = http.matcher(line);
                    if (m.find()) {
                        found.add(APPLICATION_SOURCES.relativize(file) + ":" + (i + 1) + ": " + m.group() + "   " + lines[i].strip());
                    }
                }
            }
        }
        assertThat(found).as("HTTP in the application's code").isEmpty();
    }

    @Test
    void theScanFindsWhatItLooksFor() {
        String code = """
                int s = response.status(); // a comment naming "Mcp-Session-Id" is fine
                headers.put("Last-Event-ID", cursor);
                /* "Accept" in a block comment is fine */
                """;
        String scanned = withoutComments(code);

        assertThat(HTTP_IN_CODE.get(1).matcher(scanned).find()).isTrue();
        assertThat(HTTP_IN_CODE.getFirst().matcher(scanned).results().map(r -> r.group().toLowerCase(Locale.ROOT)).toList())
                .containsExactly("\"last-event-id\"");
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(APPLICATION_SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The code without its comments; line breaks kept, so that line numbers stay right. */
    static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        boolean inString = false;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (!inString && source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? source.length() : end + 2;
                source.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                i = end;
            } else if (!inString && source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else {
                if (c == '"' && (i == 0 || source.charAt(i - 1) != '\\')) {
                    inString = !inString;
                }
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * The line without the client-facing texts the relay answers with ("Method Not Allowed: the
     * upstream offers no standalone GET stream"): they describe the client's own HTTP request, to the
     * client, and stay as they were. Header names as literals are still caught: they are quoted alone.
     */
    private static String withoutMessages(String line) {
        return line.replaceAll("\"[^\"]*\\s[^\"]*\"", "\"\"");
    }
}
