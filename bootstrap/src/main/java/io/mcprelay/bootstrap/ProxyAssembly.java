package io.mcprelay.bootstrap;

import io.mcprelay.adapter.http.in.HealthHttpService;
import io.mcprelay.adapter.http.in.McpEndpointConfig;
import io.mcprelay.adapter.http.in.McpHttpEndpoint;
import io.mcprelay.adapter.http.json.JacksonMessageCodecAdapter;
import io.mcprelay.adapter.http.out.HelidonUpstreamAdapter;
import io.mcprelay.adapter.http.out.UpstreamClientConfig;
import io.mcprelay.adapter.storage.memory.InMemoryEventLogAdapter;
import io.mcprelay.adapter.storage.memory.InMemorySessionStoreAdapter;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.UpstreamPort;
import io.mcprelay.application.service.RelayService;
import io.mcprelay.application.service.RelaySettings;
import io.mcprelay.application.service.SessionOpener;
import io.mcprelay.application.service.StreamRelay;
import io.mcprelay.application.service.StreamService;
import io.mcprelay.application.service.TerminateService;
import io.mcprelay.application.service.UpstreamCatalog;
import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.access.OriginPolicy;
import io.mcprelay.domain.session.SessionPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

/**
 * The composition root: builds every adapter and service by hand, from the options, in one
 * readable place. Nothing else in mcp-relay calls a constructor of another layer.
 */
final class ProxyAssembly {

    final SessionStorePort sessions;
    final EventLogPort eventLog;
    /** Names this instance in stream leases: unique among the instances that share a store. */
    final String instanceId;
    final McpHttpEndpoint mcpEndpoint;
    final HealthHttpService health;

    ProxyAssembly(RelayOptions options) {
        ClockPort clock = Instant::now;
        MessageCodecPort codec = new JacksonMessageCodecAdapter();
        UpstreamPort upstream = new HelidonUpstreamAdapter(
                UpstreamClientConfig.defaults().withTimeouts(options.upstreamConnectTimeout(), options.upstreamReadTimeout()));
        this.sessions = new InMemorySessionStoreAdapter(new SessionPolicy(options.sessionTtl()), clock, options.maxSessions());

        this.eventLog = new InMemoryEventLogAdapter(options.replayLog(), clock);

        UpstreamCatalog upstreams = new UpstreamCatalog(options.upstreams());
        RelaySettings settings = new RelaySettings(new HeaderPolicy(options.forwardCredentials()), 32);
        SecureRandomIds ids = new SecureRandomIds();
        this.instanceId = ids.nextInstanceId();
        StreamRelay streams = new StreamRelay(eventLog, ids::nextStreamId, codec, clock, RelayMetricsPort.NONE, options.streams(), instanceId);
        SessionOpener opener = new SessionOpener(sessions, upstream, codec, upstreams, clock, ids::nextSessionId, settings, streams);
        RelayService relay = new RelayService(sessions, upstream, codec, upstreams, opener, settings, streams);
        TerminateService terminate = new TerminateService(sessions, upstream, upstreams, settings.headerPolicy(), streams);
        StreamService streamService = new StreamService(sessions, upstream, upstreams, settings, streams);

        OriginPolicy origins = OriginPolicy.forListener(isLoopback(options.bind()), options.allowedOrigins(), options.allowedHosts());
        this.mcpEndpoint = new McpHttpEndpoint(relay, terminate, streamService, new McpEndpointConfig(options.maxBodyBytes(), origins));
        this.health = new HealthHttpService();
    }

    private static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind: unknown address " + bind);
        }
    }
}
