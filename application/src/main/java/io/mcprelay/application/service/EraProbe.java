package io.mcprelay.application.service;

import io.mcprelay.application.port.out.DecodedPayload;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.era.EraVerdict;
import io.mcprelay.domain.era.ProtocolEra;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.McpFacts;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Learns which eras each upstream serves, by sending it a {@code server/discover} request of the
 * 2026-07-28 era and judging the answer as the official SDK's dual-era client judges its probe
 * ({@link EraVerdict}); the verdict is kept per upstream in the {@link UpstreamCatalog}.
 *
 * <p>Upstreams configured {@code era: legacy|modern|dual} are never probed. An {@code auto} one is
 * probed at start ({@link #probeUnjudged()}, which the composition root runs in the background, so a
 * slow or dead upstream never delays or fails the start), then with each round of health checks
 * ({@link #refresh()}): again every {@link #REFRESH}, and, while no probe could judge it (it was down
 * or failing), every round at most every {@link #RETRY_UNKNOWN}. An upstream added by a reload is
 * probed by the next round. A modern request that finds an upstream not judged yet probes it first
 * (or waits for the probe in progress). A probe that fails (unreachable, timed out, 5xx) keeps what
 * was known.
 *
 * <p>The probe is mcp-relay's own traffic, like the health checks: the composition root gives it the
 * bare upstream port, so it is not counted in the upstream metrics, not traced, and does not feed the
 * circuit breakers.
 */
public final class EraProbe {

    private static final System.Logger LOG = System.getLogger(EraProbe.class.getName());
    /** How long an era verdict is trusted before the health checks probe it again. */
    static final Duration REFRESH = Duration.ofSeconds(60);
    /** How soon an upstream no probe could judge (unreachable) is probed again by a modern request. */
    static final Duration RETRY_UNKNOWN = Duration.ofSeconds(5);
    /** Events of a streamed discover answer read before giving up on finding its result. */
    private static final int MAX_EVENTS = 16;
    private static final RequestId PROBE_ID = new RequestId.StringId("mcp-relay-discover");
    private static final String DISCOVER = "server/discover";
    private static final byte[] BODY = ("{\"jsonrpc\":\"2.0\",\"id\":\"mcp-relay-discover\",\"method\":\"server/discover\",\"params\":{\"_meta\":{"
            + "\"io.modelcontextprotocol/protocolVersion\":\"" + ProtocolEra.FIRST_MODERN + "\","
            + "\"io.modelcontextprotocol/clientCapabilities\":{},"
            + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"mcp-relay\",\"version\":\"era-probe\"}}}}").getBytes(StandardCharsets.UTF_8);
    private static final JsonRpcPayload PAYLOAD = new JsonRpcPayload.Single(new JsonRpcMessage.Request(PROBE_ID, DISCOVER,
            new McpFacts(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(ProtocolEra.FIRST_MODERN),
                    Optional.empty(), List.of())));

    private final UpstreamPort upstream;
    private final MessageCodecPort codec;
    private final UpstreamCatalog upstreams;
    private final java.util.concurrent.locks.ReentrantLock probing = new java.util.concurrent.locks.ReentrantLock();

    public EraProbe(UpstreamPort upstream, MessageCodecPort codec, UpstreamCatalog upstreams) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
    }

    /**
     * Probes the {@code auto} upstreams no probe judged yet: at start, and before a modern request is
     * placed; one caller at a time (the others wait and find them judged), and an upstream whose probe
     * failed is tried again only after {@link #RETRY_UNKNOWN}, so a burst of modern requests to a dead
     * upstream sends it one probe, not one per request. Blocks while it probes (each probe within the
     * upstream client's timeouts).
     */
    public void probeUnjudged() {
        if (upstreams.eraProbesDue(RETRY_UNKNOWN, true).isEmpty()) {
            return;
        }
        probing.lock();
        try {
            upstreams.eraProbesDue(RETRY_UNKNOWN, true).forEach(this::probe);
        } finally {
            probing.unlock();
        }
    }

    /**
     * With the health checks: probes the upstreams no probe could judge yet (down at start, or added
     * by a reload) and re-probes the verdicts older than {@link #REFRESH}. Skipped while another probe
     * runs (the one at start, or one a modern request waits for): the next round sees what is left.
     */
    public void refresh() {
        if (!probing.tryLock()) {
            return;
        }
        try {
            java.util.Set<UpstreamTarget> due = new java.util.LinkedHashSet<>(upstreams.eraProbesDue(RETRY_UNKNOWN, true));
            due.addAll(upstreams.eraProbesDue(REFRESH, false));
            due.forEach(this::probe);
        } finally {
            probing.unlock();
        }
    }

    /** Probes one upstream and records the verdict. */
    void probe(UpstreamTarget target) {
        EraVerdict verdict;
        try (UpstreamReply reply = upstream.send(new UpstreamCall(UpstreamSession.stateless(target, ClientContext.NONE), PAYLOAD, BODY))) {
            verdict = judge(reply);
        } catch (RuntimeException e) {
            verdict = EraVerdict.UNKNOWN;
        }
        LOG.log(verdict.kind() == EraVerdict.Kind.UNKNOWN ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                "upstream {0}: server/discover probe says {1}", target.name(), verdict.describe());
        upstreams.recordEra(target.name(), verdict);
    }

    /** The verdict on a discover probe's reply (design note §4's table, as far as the reply tells it). */
    EraVerdict judge(UpstreamReply reply) {
        return switch (reply) {
            case UpstreamReply.Answer answer -> judge(answer.message());
            case UpstreamReply.Events events -> judge(events.events());
            // a JSON-RPC error (-32000 "session required", -32601, -32022 listing legacy versions) or a
            // 4xx the upstream judged: the legacy era. 5xx and 401/403-like failures say nothing.
            case UpstreamReply.Refused refused -> refused.upstreamFault() ? EraVerdict.UNKNOWN : EraVerdict.LEGACY;
            case UpstreamReply.Accepted accepted -> EraVerdict.LEGACY;
            case UpstreamReply.Other other -> EraVerdict.LEGACY;
            case UpstreamReply.SessionGone gone -> EraVerdict.LEGACY;
            case UpstreamReply.NoStream none -> EraVerdict.LEGACY;
            case UpstreamReply.Unreachable unreachable -> EraVerdict.UNKNOWN;
        };
    }

    private EraVerdict judge(byte[] json) {
        if (codec.decode(json) instanceof DecodedPayload.Decoded decoded && decoded.payload() instanceof JsonRpcPayload.Single single) {
            if (single.message() instanceof JsonRpcMessage.Response response) {
                return EraVerdict.ofDiscoverResult(response.facts().supportedVersions());
            }
        }
        return EraVerdict.LEGACY;
    }

    private EraVerdict judge(UpstreamEvents events) {
        for (int i = 0; i < MAX_EVENTS; i++) {
            if (!(events.next() instanceof UpstreamEvents.Read.Event event)) {
                return EraVerdict.UNKNOWN;
            }
            String data = event.event().data();
            if (!data.isEmpty() && codec.decode(data.getBytes(StandardCharsets.UTF_8)) instanceof DecodedPayload.Decoded decoded
                    && decoded.payload() instanceof JsonRpcPayload.Single single) {
                switch (single.message()) {
                    case JsonRpcMessage.Response response -> {
                        return EraVerdict.ofDiscoverResult(response.facts().supportedVersions());
                    }
                    case JsonRpcMessage.ErrorResponse error -> {
                        return EraVerdict.LEGACY;
                    }
                    default -> {
                        // a notification before the result: read on
                    }
                }
            }
        }
        return EraVerdict.UNKNOWN;
    }
}
