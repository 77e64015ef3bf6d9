package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.BlockingEventSource;
import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.bridge.JsonText;
import io.mcprelay.domain.bridge.JsonValue;
import io.mcprelay.domain.bridge.ModernEnvelope;
import io.mcprelay.domain.bridge.RoutingHeaders;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Bridge (a)'s parts one by one: the discover cache, the listen stream, the tool header cache. */
class BridgeAPartsTest {

    private static final UpstreamTarget TARGET = new UpstreamTarget("m", URI.create("http://m.test/mcp"));
    private static final ModernEnvelope ENVELOPE = new ModernEnvelope(ModernEnvelope.MODERN_VERSION, JsonValue.Obj.EMPTY, Optional.empty(),
            Optional.empty());
    private static final String RESULT = "{\"jsonrpc\":\"2.0\",\"id\":\"d\",\"result\":{\"supportedVersions\":[\"2026-07-28\"],\"ttlMs\":%d}}";

    private static String data(UpstreamEvents.Read read) {
        return ((UpstreamEvents.Read.Event) read).event().data();
    }

    @Test
    void aStreamedDiscoverIsReadToItsResultAndALongTtlIsCutToTheMaximum() {
        MutableClock clock = MutableClock.startingNow();
        BridgeDiscovery discovery = new BridgeDiscovery(clock);
        AtomicInteger sent = new AtomicInteger();

        BridgeDiscovery.Found first = discovery.discover(TARGET, ENVELOPE, r -> {
            sent.incrementAndGet();
            assertThat(r.toJson()).contains("\"method\":\"server/discover\"").contains(ModernEnvelope.PROTOCOL_VERSION);
            return UpstreamReplies.eventStream(ScriptedEventSource.ofData("", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}",
                    RESULT.formatted(86_400_000)));
        });
        clock.advance(BridgeDiscovery.MAX_TTL.minusSeconds(1));
        BridgeDiscovery.Found cached = discovery.discover(TARGET, ENVELOPE, r -> {
            throw new AssertionError("cached");
        });
        clock.advance(Duration.ofSeconds(2));
        BridgeDiscovery.Found again = discovery.discover(TARGET, ENVELOPE, r -> {
            sent.incrementAndGet();
            return UpstreamReplies.json(RESULT.formatted(0));
        });

        assertThat(first).isInstanceOf(BridgeDiscovery.Found.Result.class);
        assertThat(cached).isEqualTo(first);
        assertThat(((BridgeDiscovery.Found.Result) again).result().toJson()).contains("\"ttlMs\":0");
        assertThat(sent).hasValue(2);
    }

    @Test
    void whatIsNoDiscoverResultSaysWhy() {
        BridgeDiscovery discovery = new BridgeDiscovery(MutableClock.startingNow());

        List<String> why = new ArrayList<>();
        for (UpstreamReply reply : List.<UpstreamReply>of(
                UpstreamReplies.unreachable(UpstreamReply.Unreachable.Cause.CONNECT),
                UpstreamReplies.unreachable(UpstreamReply.Unreachable.Cause.CONNECT, "its process exited"),
                UpstreamReplies.refused(403, "HTTP 403: denied"),
                UpstreamReplies.refusedWith(400, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32602,\"message\":\"bad\"}}"),
                UpstreamReplies.eventStream(ScriptedEventSource.ofData("{\"jsonrpc\":\"2.0\",\"id\":\"d\",\"error\":{\"code\":1}}")),
                UpstreamReplies.eventStream(ScriptedEventSource.ofData("not json")),
                UpstreamReplies.eventStream(ScriptedEventSource.of(ScriptedEventSource.end())),
                UpstreamReplies.eventStream(ScriptedEventSource.ofData(java.util.Collections.nCopies(20, "{\"jsonrpc\":\"2.0\",\"method\":\"n\"}").toArray(String[]::new))),
                UpstreamReplies.accepted())) {
            why.add(((BridgeDiscovery.Found.Failed) discovery.discover(TARGET, ENVELOPE, r -> reply)).why());
        }

        assertThat(why.get(0)).isEqualTo("it cannot be reached (connect)");
        assertThat(why.get(1)).isEqualTo("its process exited");
        assertThat(why.get(2)).contains("403");
        assertThat(why.get(3)).contains("-32602");
        assertThat(why.subList(4, 9)).allMatch(w -> w.equals("no discover result in its answer"));
    }

    @Test
    void theListenStreamHidesWhatAGetStreamDoesNotHave() {
        BridgedListen listen = new BridgedListen(ScriptedEventSource.ofData(
                "",
                "not json",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/subscriptions/acknowledged\",\"params\":{}}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"roots/list\"}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/prompts/list_changed\"}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/resources/list_changed\",\"params\":{\"_meta\":{\"x\":1}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"listen\",\"result\":{}}"), () -> { });

        assertThat(data(listen.next())).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/prompts/list_changed\"}");
        assertThat(data(listen.next())).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/resources/list_changed\",\"params\":{\"_meta\":{\"x\":1}}}");
        assertThat(listen.next()).isInstanceOf(UpstreamEvents.Read.End.class);
    }

    @Test
    void aListenClosedBeforeOrWhileBeingReplacedClosesItsReplacement() {
        AtomicInteger closed = new AtomicInteger();
        BlockingEventSource first = new BlockingEventSource();
        BlockingEventSource pending = new BlockingEventSource();
        BlockingEventSource late = new BlockingEventSource();
        BridgedListen listen = new BridgedListen(first, closed::incrementAndGet);

        listen.replace(pending); // nobody reads: the replacement waits
        listen.close();
        listen.replace(late);

        assertThat(first.isClosed()).isTrue();
        assertThat(pending.isClosed()).isTrue();
        assertThat(late.isClosed()).isTrue();
        assertThat(closed).hasValue(1);
        assertThat(listen.next()).isInstanceOf(UpstreamEvents.Read.End.class);
    }

    @Test
    void theToolCacheLearnsPagesKeepsItsBoundsAndPassesOtherResults() {
        ToolHeaderCache cache = new ToolHeaderCache();
        JsonValue.Obj page1 = JsonText.parseObject("{\"tools\":[{\"name\":\"a\",\"inputSchema\":{\"type\":\"object\",\"properties\":{\"r\":"
                + "{\"type\":\"string\",\"x-mcp-header\":\"R\"}}}},\"not a tool\",{\"inputSchema\":{}}]}");
        JsonValue.Obj page2 = JsonText.parseObject("{\"tools\":[{\"name\":\"b\"}]}");
        JsonValue.Obj noTools = JsonText.parseObject("{\"tools\":{}}");

        JsonValue.Obj shown = cache.learn("k", page1, true);
        cache.learn("k", page2, false);

        assertThat(shown).isEqualTo(page1);
        assertThat(cache.headersOf("k", "a")).containsExactly(new RoutingHeaders.HeaderProperty("R", List.of("r")));
        assertThat(cache.knows("k", "b")).isTrue();
        assertThat(cache.knows("other", "a")).isFalse();
        assertThat(cache.learn("k", noTools, true)).isEqualTo(noTools);
        cache.learn("k", page2, true);
        assertThat(cache.knows("k", "a")).isFalse(); // a first page replaces what was known
        for (int i = 0; i < ToolHeaderCache.MAX_KEYS + 5; i++) {
            cache.learn("key-" + i, page2, true);
        }
        assertThat(cache.knows("key-" + (ToolHeaderCache.MAX_KEYS + 4), "b")).isTrue();
    }

    @Test
    void theCatalogKnowsWhichUpstreamsServeOnlyTheModernEra() {
        java.util.function.Function<io.mcprelay.domain.era.UpstreamEra, io.mcprelay.domain.routing.UpstreamSpec> spec = era ->
                io.mcprelay.domain.routing.UpstreamSpec.of(new UpstreamTarget(era.word(), URI.create("http://" + era.word() + ".test/mcp"))).withEra(era);
        UpstreamCatalog catalog = new UpstreamCatalog(List.of(spec.apply(io.mcprelay.domain.era.UpstreamEra.AUTO),
                spec.apply(io.mcprelay.domain.era.UpstreamEra.MODERN), spec.apply(io.mcprelay.domain.era.UpstreamEra.DUAL),
                spec.apply(io.mcprelay.domain.era.UpstreamEra.LEGACY),
                io.mcprelay.domain.routing.UpstreamSpec.of(new UpstreamTarget("local", new io.mcprelay.domain.routing.UpstreamTransport.Stdio("s",
                        List.of(), java.util.Map.of(), Optional.empty())))),
                io.mcprelay.domain.routing.SelectionStrategy.ROUND_ROBIN, io.mcprelay.domain.routing.BreakerPolicy.defaults(),
                io.mcprelay.domain.routing.HealthCheckPolicy.defaults(), java.time.Instant::now);

        assertThat(catalog.servesOnlyModern("auto")).isFalse(); // not judged yet
        assertThat(catalog.probedForEra("auto")).isTrue();
        catalog.recordEra("auto", io.mcprelay.domain.era.EraVerdict.ofDiscoverResult(List.of("2026-07-28", "2025-11-25")));
        assertThat(catalog.servesOnlyModern("auto")).isFalse(); // dual
        catalog.recordEra("auto", io.mcprelay.domain.era.EraVerdict.ofDiscoverResult(List.of("2026-07-28")));
        assertThat(catalog.servesOnlyModern("auto")).isTrue();
        assertThat(catalog.servesOnlyModern("modern")).isTrue();
        assertThat(catalog.probedForEra("modern")).isFalse();
        assertThat(catalog.servesOnlyModern("dual")).isFalse();
        assertThat(catalog.servesOnlyModern("legacy")).isFalse();
        assertThat(catalog.servesOnlyModern("local")).isFalse();
        assertThat(catalog.probedForEra("local")).isFalse();
        assertThat(catalog.servesOnlyModern("nobody")).isFalse();
        assertThat(catalog.probedForEra("nobody")).isFalse();
    }
}
