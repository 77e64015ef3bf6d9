package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.adapter.storage.testing.RedisServerProcess;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session belongs to its principal on every instance: two mcp-relay instances share one real
 * Redis and trust one real authorization server; alice's session, opened on A, is 404 to bob on B
 * for POST, for a resumption with one of alice's real event ids, and for DELETE, while alice uses and
 * resumes it on B. Neither instance ever passes a client's token to the upstream, even with
 * {@code --forward-credentials}.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AuthAcrossInstancesIT {

    private static final String RESOURCE = "https://mcp.example.test/mcp";
    private static final Pattern EVENT_ID = Pattern.compile("(?m)^id: ?(\\S+)$");

    private RedisServerProcess redis;
    private AuthorizationServer issuer;
    private StubUpstream upstream;
    private McpRelayServer a;
    private McpRelayServer b;

    @BeforeEach
    void start() {
        redis = RedisServerProcess.startOnFreePort();
        issuer = AuthorizationServer.start();
        upstream = MiniMcpUpstream.start();
        RelayOptions base = RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint())).withStore(StoreOptions.redis(redis.uri()));
        RelayOptions options = new RelayOptions(base.upstreams(), base.bind(), base.port(), base.maxBodyBytes(), base.sessionTtl(),
                base.maxSessions(), base.allowedOrigins(), base.allowedHosts(), true, base.upstreamConnectTimeout(), base.upstreamReadTimeout(),
                base.streams(), base.replayLog(), base.upstreamPolicies(), base.store(), base.admin(), base.rules(), base.fairness(),
                base.clients(), AuthOptions.of(issuer.issuer(), issuer.jwksUri(), URI.create(RESOURCE)));
        a = McpRelayServer.start(options);
        b = McpRelayServer.start(options);
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, upstream, issuer, redis}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    @Test
    void alicesSessionOpenedOnAIs404ToBobOnBAndAlicesOwnOnB() throws Exception {
        String alice = issuer.token("alice", RESOURCE, "mcp");
        String bob = issuer.token("bob", RESOURCE, "mcp");
        BearerClient onA = new BearerClient(a.port());
        BearerClient onB = new BearerClient(b.port());

        String session = onA.initialize(alice);
        HttpResponse<String> listed = onA.toolsList(Optional.of(alice), session);
        assertThat(listed.statusCode()).isEqualTo(200);
        String eventId = firstEventId(listed.body());

        assertThat(onB.toolsList(Optional.of(bob), session).statusCode()).as("bob's POST on B").isEqualTo(404);
        assertThat(onB.getForBody(Optional.of(bob), session, eventId).statusCode()).as("bob's resumption on B").isEqualTo(404);
        assertThat(onB.delete(Optional.of(bob), session).statusCode()).as("bob's DELETE on B").isEqualTo(404);
        assertThat(onA.toolsList(Optional.of(bob), session).statusCode()).as("bob's POST on A").isEqualTo(404);

        HttpResponse<String> resumed = onB.getForBody(Optional.of(alice), session, eventId);
        assertThat(resumed.statusCode()).as("alice resumes on B").isEqualTo(200);
        assertThat(resumed.body()).contains("\"tools\":[]");
        assertThat(onB.toolsList(Optional.of(alice), session).statusCode()).as("alice's POST on B").isEqualTo(200);
        assertThat(onB.delete(Optional.of(alice), session).statusCode()).as("alice ends it on B").isEqualTo(200);
        assertThat(onA.toolsList(Optional.of(alice), session).statusCode()).isEqualTo(404);
    }

    @Test
    void theClientsTokenNeverReachesTheUpstreamEvenWithForwardCredentials() throws Exception {
        String alice = issuer.token("alice", RESOURCE, "mcp");
        BearerClient onA = new BearerClient(a.port());
        String session = onA.initialize(alice);
        onA.post(Optional.of(alice), Optional.of(session), "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");

        assertThat(upstream.mcpRequests()).isNotEmpty().allSatisfy(request -> {
            assertThat(request.header("Authorization")).isNull();
            assertThat(request.headers().values()).noneMatch(value -> value.contains(alice));
        });
    }

    private static String firstEventId(String sse) {
        Matcher m = EVENT_ID.matcher(sse);
        assertThat(m.find()).as("an event id in %s", sse).isTrue();
        return m.group(1);
    }
}
