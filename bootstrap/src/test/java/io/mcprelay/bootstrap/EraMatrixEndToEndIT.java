package io.mcprelay.bootstrap;

import static io.mcprelay.bootstrap.e2e.EraClient.V1;
import static io.mcprelay.bootstrap.e2e.EraClient.V2_AUTO;
import static io.mcprelay.bootstrap.e2e.EraClient.V2_LEGACY;
import static io.mcprelay.bootstrap.e2e.EraClient.V2_MODERN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcprelay.bootstrap.e2e.EraClient;
import io.mcprelay.bootstrap.e2e.EraServer;
import io.mcprelay.bootstrap.e2e.ServerEverything;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The protocol-era matrix with the real SDKs (issue 18): every client of {v1 SDK, v2 SDK in
 * {@code 'auto'} mode, v2 SDK pinned to 2026-07-28} against every server of {server-everything (2025
 * era, sessions), the v2 test server serving both eras, the v2 test server serving only 2026-07-28},
 * each running the scenario of {@code e2e/era/client.mjs} (tools/list, echo, progress, an elicitation
 * answered with a fixed form, tools list-changed where the server offers the trigger).
 *
 * <p>{@link #DIRECT} is what each pair does without mcp-relay (the reference, also in docs/notes.md).
 * {@link #THROUGH_RELAY} lists the pairs run through mcp-relay, each with what it must do there: the
 * 2025-era pairs through the session path, the modern ones through the era dispatch (issue 18 §1), with
 * the same results as direct; and the 2025-era clients (v1, v2 in its default {@code 'legacy'} mode) in
 * front of the modern-only server, which fail direct, through bridge (a).
 */
class EraMatrixEndToEndIT {

    enum Upstream { EVERYTHING, V2_DUAL, V2_MODERN_ONLY }

    /** What a pair must do: connect in an era and run every step, or fail to connect with an error containing a text. */
    sealed interface Outcome {
    }

    record Works(String era, boolean listChanged) implements Outcome {
    }

    record Fails(String errorContains) implements Outcome {
    }

    /**
     * What a pair does through the bridge: connect in {@code era}, and exactly the steps in {@code working} succeed
     * (with the same checks as {@link Works}); each other step's result contains the text given (what it did instead).
     */
    record Bridged(String era, List<String> working, Map<String, String> failing) implements Outcome {
    }

    /** Whether the pair's relay runs with {@code --bridge-legacy} (bridge (b)). */
    enum Via { PLAIN, BRIDGE }

    record Pair(EraClient client, Upstream upstream, Optional<Outcome> expected, Via via) {
        Pair(EraClient client, Upstream upstream, Optional<Outcome> expected) {
            this(client, upstream, expected, Via.PLAIN);
        }

        String relayKey() {
            return upstream + "/" + via;
        }

        @Override
        public String toString() {
            return client.argument() + " x " + upstream + (via == Via.BRIDGE ? " (bridge)" : "")
                    + expected.map(o -> " -> " + o).orElse(" -> same as direct");
        }
    }

    /** A pair through a relay with the bridge to legacy-only upstreams on. */
    static Pair bridged(EraClient client, Upstream upstream, Outcome outcome) {
        return new Pair(client, upstream, Optional.of(outcome), Via.BRIDGE);
    }

    static Works works(String era, boolean listChanged) {
        return new Works(era, listChanged);
    }

    static Fails fails(String errorContains) {
        return new Fails(errorContains);
    }

    static Pair direct(EraClient client, Upstream upstream, Outcome outcome) {
        return new Pair(client, upstream, Optional.of(outcome));
    }

    /** A pair that must behave through mcp-relay exactly as it does directly (same era, same step results). */
    static Pair sameAsDirect(EraClient client, Upstream upstream) {
        return new Pair(client, upstream, Optional.empty());
    }

    /** A pair that must have {@code outcome} through mcp-relay (for pairs only the bridge makes work). */
    static Pair relayed(EraClient client, Upstream upstream, Outcome outcome) {
        return new Pair(client, upstream, Optional.of(outcome));
    }

    /** Without mcp-relay. server-everything has no list-changed trigger, so that step only runs against the v2 server. */
    static final List<Pair> DIRECT = List.of(
            direct(V1, Upstream.EVERYTHING, works("legacy", false)),
            direct(V1, Upstream.V2_DUAL, works("legacy", true)),
            direct(V1, Upstream.V2_MODERN_ONLY, fails("-32022")),
            direct(V2_AUTO, Upstream.EVERYTHING, works("legacy", false)),
            direct(V2_AUTO, Upstream.V2_DUAL, works("modern", true)),
            direct(V2_AUTO, Upstream.V2_MODERN_ONLY, works("modern", true)),
            direct(V2_MODERN, Upstream.EVERYTHING, fails("ERA_NEGOTIATION_FAILED")),
            direct(V2_MODERN, Upstream.V2_DUAL, works("modern", true)),
            direct(V2_MODERN, Upstream.V2_MODERN_ONLY, works("modern", true)));

    /**
     * Through mcp-relay (one relay per upstream, its era probed with server/discover). The modern pairs
     * pass through the era dispatch (issue 18 §1, docs/eras.md); a pinned modern client in front of
     * server-everything fails to connect as it does direct, told why by the relay's -32022 (which lists the
     * 2025 versions the upstream serves). With --bridge-legacy (bridge (b), own relays), the pinned modern
     * client works in front of server-everything and of the v2 server's 2025-era side (its era forced to
     * legacy): elicitation as input_required rounds, list-changed over a bridged subscriptions/listen. The
     * 2025-era clients in front of the modern-only server work through bridge (a) (always on), every step.
     */
    static final List<Pair> THROUGH_RELAY = List.of(
            sameAsDirect(V1, Upstream.EVERYTHING),
            sameAsDirect(V1, Upstream.V2_DUAL),
            sameAsDirect(V2_AUTO, Upstream.EVERYTHING),
            sameAsDirect(V2_AUTO, Upstream.V2_DUAL),
            sameAsDirect(V2_AUTO, Upstream.V2_MODERN_ONLY),
            sameAsDirect(V2_MODERN, Upstream.V2_DUAL),
            sameAsDirect(V2_MODERN, Upstream.V2_MODERN_ONLY),
            relayed(V2_MODERN, Upstream.EVERYTHING, fails("-32022")),
            // bridge (a), on by default: mcp-relay answers initialize from server/discover and sends each request as a
            // modern one; the elicitation travels as an input_required round, list-changed on the GET stream
            relayed(V1, Upstream.V2_MODERN_ONLY, works("legacy", true)),
            relayed(V2_LEGACY, Upstream.V2_MODERN_ONLY, works("legacy", true)),
            // bridge (b): the server's elicitation/create mid-call reaches the client as an input_required round
            bridged(V2_MODERN, Upstream.EVERYTHING, new Bridged("modern", List.of("listTools", "echo", "progress", "elicitation"),
                    Map.of())),
            // bridge (b) in front of the v2 server's 2025-era side (its era forced to legacy in this relay): the same, and
            // list-changed over subscriptions/listen, carried by the upstream session's GET stream
            bridged(V2_MODERN, Upstream.V2_DUAL, works("modern", true)));

    private static final Map<Upstream, URI> endpoints = new EnumMap<>(Upstream.class);
    private static final Map<String, McpRelayServer> relays = new java.util.HashMap<>();
    private static final Map<String, ObjectNode> directResults = new ConcurrentHashMap<>();
    private static ServerEverything everything;
    private static EraServer dual;
    private static EraServer modernOnly;

    @BeforeAll
    static void start() {
        everything = ServerEverything.start();
        dual = EraServer.start(EraServer.Mode.DUAL);
        modernOnly = EraServer.start(EraServer.Mode.MODERN_ONLY);
        endpoints.put(Upstream.EVERYTHING, everything.mcpEndpoint());
        endpoints.put(Upstream.V2_DUAL, dual.mcpEndpoint());
        endpoints.put(Upstream.V2_MODERN_ONLY, modernOnly.mcpEndpoint());
        for (Pair pair : THROUGH_RELAY) {
            relays.computeIfAbsent(pair.relayKey(), key -> {
                RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget(
                        pair.upstream().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), endpoints.get(pair.upstream())));
                if (pair.via() == Via.BRIDGE) {
                    UpstreamOptions policies = options.upstreamPolicies().withBridgeLegacy(true);
                    if (pair.upstream() != Upstream.EVERYTHING) { // a dual-era upstream taken as 2025-era only, so the bridge carries
                        policies = policies.withEras(Map.of(options.upstreams().getFirst().name(), io.mcprelay.domain.era.UpstreamEra.LEGACY));
                    }
                    options = options.withUpstreams(options.upstreams(), policies);
                }
                return McpRelayServer.start(options);
            });
        }
    }

    @AfterAll
    static void stop() {
        relays.values().forEach(McpRelayServer::close);
        for (AutoCloseable process : new AutoCloseable[] {modernOnly, dual, everything}) {
            if (process != null) {
                try {
                    process.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    static Stream<Pair> directPairs() {
        return DIRECT.stream();
    }

    static Stream<Pair> relayedPairs() {
        return THROUGH_RELAY.stream();
    }

    @Test
    void theDirectTableCoversEveryPairOnce() {
        assertThat(DIRECT).extracting(p -> p.client() + "/" + p.upstream()).doesNotHaveDuplicates().hasSize(9);
    }

    @ParameterizedTest(name = "direct {0}")
    @MethodSource("directPairs")
    void directly(Pair pair) {
        assertOutcome(directResult(pair.client(), pair.upstream()), pair.expected().orElseThrow());
    }

    @ParameterizedTest(name = "through mcp-relay {0}")
    @MethodSource("relayedPairs")
    void throughTheRelay(Pair pair) {
        URI relayEndpoint = URI.create("http://127.0.0.1:" + relays.get(pair.relayKey()).port() + "/mcp");
        ObjectNode relayed = pair.client().run(relayEndpoint);
        if (pair.expected().isPresent()) {
            assertOutcome(relayed, pair.expected().get());
        } else {
            ObjectNode direct = directResult(pair.client(), pair.upstream());
            assertThat(direct.path("connect").path("ok").asBoolean()).as("direct works: %s", direct).isTrue();
            assertThat(relayed).as("through mcp-relay vs direct").isEqualTo(direct);
        }
    }

    private static ObjectNode directResult(EraClient client, Upstream upstream) {
        return directResults.computeIfAbsent(client + "/" + upstream, key -> client.run(endpoints.get(upstream)));
    }

    private static void assertOutcome(ObjectNode result, Outcome expected) {
        JsonNode connect = result.path("connect");
        switch (expected) {
            case Fails fails -> {
                assertThat(connect.path("ok").asBoolean()).as("connect fails: %s", result).isFalse();
                assertThat(connect.path("error").asText()).as("connect error: %s", result).contains(fails.errorContains());
            }
            case Bridged bridged -> {
                assertThat(connect.path("ok").asBoolean()).as("connect: %s", result).isTrue();
                assertThat(connect.path("era").asText()).as("era: %s", result).isEqualTo(bridged.era());
                JsonNode steps = result.path("steps");
                for (String step : bridged.working()) {
                    assertThat(steps.path(step).path("ok").asBoolean()).as("step %s works: %s", step, result).isTrue();
                }
                if (bridged.working().contains("echo")) {
                    assertThat(steps.path("echo").path("text").asText()).as("echo: %s", result).isEqualTo("Echo: hello");
                }
                if (bridged.working().contains("elicitation")) {
                    assertThat(steps.path("elicitation").path("asked").asInt()).as("elicitation: %s", result).isEqualTo(1);
                    assertThat(steps.path("elicitation").path("answered").asBoolean()).as("elicitation: %s", result).isTrue();
                    assertThat(steps.path("elicitation").path("isError").asBoolean()).as("elicitation: %s", result).isFalse();
                }
                if (bridged.working().contains("progress")) {
                    assertThat(steps.path("progress").path("notifications").asInt()).as("progress: %s", result).isEqualTo(3);
                }
                bridged.failing().forEach((step, error) -> assertThat(steps.path(step).toString())
                        .as("step %s: %s", step, result).contains(error));
                assertThat(steps.size()).as("every step accounted for: %s", result)
                        .isEqualTo(bridged.working().size() + bridged.failing().size());
            }
            case Works works -> {
                assertThat(connect.path("ok").asBoolean()).as("connect: %s", result).isTrue();
                assertThat(connect.path("era").asText()).as("era: %s", result).isEqualTo(works.era());
                JsonNode steps = result.path("steps");
                assertThat(steps.path("echo").path("text").asText()).as("echo: %s", result).isEqualTo("Echo: hello");
                assertThat(steps.path("progress").path("ok").asBoolean()).as("progress: %s", result).isTrue();
                assertThat(steps.path("progress").path("notifications").asInt()).as("progress: %s", result).isEqualTo(3);
                assertThat(steps.path("elicitation").path("asked").asInt()).as("elicitation: %s", result).isEqualTo(1);
                assertThat(steps.path("elicitation").path("answered").asBoolean()).as("elicitation: %s", result).isTrue();
                if (works.listChanged()) {
                    assertThat(steps.path("listChanged").path("received").asBoolean()).as("listChanged: %s", result).isTrue();
                    assertThat(steps.path("listChanged").path("via").asText()).as("listChanged: %s", result)
                            .isEqualTo(works.era().equals("modern") ? "subscriptions/listen" : "GET stream");
                } else {
                    assertThat(steps.has("listChanged")).as("no list-changed trigger: %s", result).isFalse();
                }
                steps.properties().forEach(step -> assertThat(step.getValue().path("ok").asBoolean())
                        .as("step %s: %s", step.getKey(), result).isTrue());
            }
        }
    }
}
