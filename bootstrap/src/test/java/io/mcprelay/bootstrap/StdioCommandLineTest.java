package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StdioCommandLineTest {

    @Test
    void splitsOnWhitespaceWithQuotesAndNoShell() {
        assertThat(StdioCommandLine.split("  npx -y  @modelcontextprotocol/server-filesystem '/srv/My Files' \"a \\\"b\\\" \\\\c\" $HOME *.txt|x "))
                .containsExactly("npx", "-y", "@modelcontextprotocol/server-filesystem", "/srv/My Files", "a \"b\" \\c", "$HOME", "*.txt|x");
        assertThat(StdioCommandLine.split("--root=\"My Files\"x ''")).containsExactly("--root=My Filesx", "");
    }

    @Test
    void readsLikeEnvWithAWorkingDirectoryVariablesThenTheCommand() {
        StdioCommandLine line = StdioCommandLine.parse("--chdir=/srv API_KEY=s3cret LOG= node server.js --stdio X=1");
        assertThat(line).isEqualTo(new StdioCommandLine("node", List.of("server.js", "--stdio", "X=1"),
                Map.of("API_KEY", "s3cret", "LOG", ""), Optional.of("/srv")));
        assertThat(StdioCommandLine.parse("cat")).isEqualTo(new StdioCommandLine("cat", List.of(), Map.of(), Optional.empty()));
    }

    @Test
    void formatReadsBackExactly() {
        StdioCommandLine line = new StdioCommandLine("my server", List.of("", "it's", "a \"q\" \\", "plain"),
                Map.of("A", "x y"), Optional.of("/tmp/d ir"));
        assertThat(StdioCommandLine.parse(line.format())).isEqualTo(line);
    }

    @Test
    void namesWhatIsWrong() {
        assertThatThrownBy(() -> StdioCommandLine.parse("  ")).hasMessageContaining("needs a command");
        assertThatThrownBy(() -> StdioCommandLine.parse("A=1")).hasMessageContaining("needs a command");
        assertThatThrownBy(() -> StdioCommandLine.parse("npx 'open")).hasMessageContaining("' is not closed");
        assertThatThrownBy(() -> StdioCommandLine.parse("npx \"open\\\"")).hasMessageContaining("\" is not closed");
        assertThatThrownBy(() -> StdioCommandLine.parse("--chdir= npx")).hasMessageContaining("needs a directory");
    }
}
