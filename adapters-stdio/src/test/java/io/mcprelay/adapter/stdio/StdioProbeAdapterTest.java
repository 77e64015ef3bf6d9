package io.mcprelay.adapter.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.routing.UpstreamTransport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StdioProbeAdapterTest {

    private final StdioProbeAdapter probe = new StdioProbeAdapter();

    private static UpstreamTarget stdio(String command, Optional<String> cwd) {
        return new UpstreamTarget("t", new UpstreamTransport.Stdio(command, List.of(), Map.of(), cwd));
    }

    @Test
    void aCommandOnThePathOrAnExecutablePathIsHealthyWithoutStartingIt() {
        assertThat(probe.probe(stdio("sh", Optional.empty()), Duration.ofSeconds(1)).healthy()).isTrue();
        assertThat(probe.probe(stdio("/bin/sh", Optional.empty()), Duration.ofSeconds(1)).detail()).isEqualTo("can start /bin/sh");
    }

    @Test
    void aMissingCommandOrWorkingDirectoryIsUnhealthyWithTheReason(@TempDir Path dir) {
        assertThat(probe.probe(stdio("no-such-mcp-server-xyz", Optional.empty()), Duration.ofSeconds(1)))
                .isEqualTo(new io.mcprelay.application.port.out.UpstreamProbePort.Result(false,
                        "command no-such-mcp-server-xyz not found or not executable on PATH"));
        assertThat(probe.probe(stdio(dir.resolve("x").toString(), Optional.empty()), Duration.ofSeconds(1)).healthy()).isFalse();
        assertThat(probe.probe(stdio("sh", Optional.of(dir.resolve("gone").toString())), Duration.ofSeconds(1)).detail())
                .contains("is not a directory");
        assertThat(probe.probe(new UpstreamTarget("h", URI.create("http://127.0.0.1:1/mcp")), Duration.ofSeconds(1)).healthy()).isFalse();
    }
}
