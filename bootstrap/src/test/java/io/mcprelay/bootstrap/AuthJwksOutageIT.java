package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When the issuer's JWKS endpoint is down or slow: tokens signed by a key the relay already holds
 * keep working (the cached keys are used past their TTL), a token with an unknown key id is refused
 * within the fetch deadline, and a burst of such tokens does not become a burst of fetches.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AuthJwksOutageIT {

    private static final String RESOURCE = "https://mcp.example.test/mcp";
    private static final Duration JWKS_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CACHE_TTL = Duration.ofSeconds(4);
    private static final Duration MIN_REFRESH = Duration.ofSeconds(3);

    private AuthorizationServer issuer;
    private StubUpstream upstream;
    private McpRelayServer relay;
    private BearerClient client;

    @BeforeEach
    void start() {
        issuer = AuthorizationServer.start();
        upstream = MiniMcpUpstream.start();
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint()))
                .withAuth(AuthOptions.of(issuer.issuer(), issuer.frontJwksUri(), URI.create(RESOURCE))
                        .withJwks(JWKS_TIMEOUT, CACHE_TTL, MIN_REFRESH)));
        client = new BearerClient(relay.port());
    }

    @AfterEach
    void stop() {
        issuer.jwks(AuthorizationServer.JwksMode.UP);
        for (AutoCloseable c : new AutoCloseable[] {relay, upstream, issuer}) {
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
    void jwksDownCachedKeysStillWorkAndUnknownKeysAreRefusedAtOnce() throws Exception {
        String valid = issuer.token("alice", RESOURCE, "mcp");
        String session = client.initialize(valid);

        issuer.jwks(AuthorizationServer.JwksMode.DOWN);
        Thread.sleep(CACHE_TTL.plusMillis(500).toMillis());

        assertThat(client.toolsList(Optional.of(valid), session).statusCode()).as("a known key past the cache TTL").isEqualTo(200);
        assertThat(client.initializeResponse(Optional.of(issuer.token("bob", RESOURCE, "mcp"))).statusCode()).isEqualTo(200);
        long started = System.nanoTime();
        HttpResponse<String> unknown = client.initializeResponse(Optional.of(AuthorizationServer.unknownKid(valid)));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void jwksSlowEveryWaitIsBoundedAndABurstOfUnknownKeysFetchesOnce() throws Exception {
        String valid = issuer.token("alice", RESOURCE, "mcp");
        String session = client.initialize(valid);
        int fetchesBefore = issuer.frontJwksFetches();

        issuer.jwks(AuthorizationServer.JwksMode.SLOW);
        Thread.sleep(CACHE_TTL.plusMillis(500).toMillis());
        String forged = AuthorizationServer.unknownKid(valid);
        List<Future<HttpResponse<String>>> burst = new ArrayList<>();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                burst.add(pool.submit(() -> client.initializeResponse(Optional.of(forged))));
            }
            burst.add(pool.submit(() -> client.toolsList(Optional.of(valid), session)));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        for (int i = 0; i < 20; i++) {
            assertThat(burst.get(i).get().statusCode()).isEqualTo(401);
        }
        assertThat(burst.getLast().get().statusCode()).as("the holder of a cached key").isEqualTo(200);
        assertThat(took).as("every wait bounded by the fetch deadline, not the 30 s the endpoint takes").isLessThan(Duration.ofSeconds(20));
        assertThat(issuer.frontJwksFetches() - fetchesBefore).as("fetches for 20 unknown-key tokens").isLessThanOrEqualTo(2);

        issuer.jwks(AuthorizationServer.JwksMode.UP);
        assertThat(client.toolsList(Optional.of(valid), session).statusCode()).isEqualTo(200);
    }
}
