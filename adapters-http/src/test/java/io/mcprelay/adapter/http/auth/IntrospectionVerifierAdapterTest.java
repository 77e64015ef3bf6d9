package io.mcprelay.adapter.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.mcprelay.domain.auth.AuthRefusal;
import io.mcprelay.domain.auth.Authentication;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Opaque tokens at an introspection endpoint (a JDK HTTP server over loopback): what is let in, what is kept, what is bounded. */
class IntrospectionVerifierAdapterTest {

    private static final String ISSUER = "https://issuer.test/realm";
    private static final String RESOURCE = "https://mcp.test/mcp";

    private HttpServer server;
    private final List<String> forms = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> answer = new AtomicReference<>();
    private final AtomicReference<Integer> status = new AtomicReference<>(200);
    private final AtomicLong delayMillis = new AtomicLong();
    private final AtomicLong now = new AtomicLong(5_000_000_000L);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/introspect", exchange -> {
            forms.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            try {
                Thread.sleep(delayMillis.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = answer.get().getBytes(StandardCharsets.UTF_8);
            try {
                exchange.sendResponseHeaders(status.get(), bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (java.io.IOException gone) {
                // the relay gave up
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private IntrospectionVerifierAdapter verifier(Duration timeout, int cacheMax, int maxInFlight) {
        return new IntrospectionVerifierAdapter(new IntrospectionConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/introspect"),
                "relay", "s3cret", URI.create(ISSUER), Set.of(RESOURCE), timeout, Duration.ofMinutes(1), cacheMax, maxInFlight), now::get);
    }

    private static String active(String extra) {
        return "{\"active\":true,\"sub\":\"alice\",\"scope\":\"mcp:tools mcp:read\",\"iss\":\"" + ISSUER + "\",\"aud\":\"" + RESOURCE + "\""
                + ",\"exp\":" + (System.currentTimeMillis() / 1000 + 3600) + extra + "}";
    }

    @Test
    void anActiveTokenIsLetInWithItsSubjectScopesAndClaimsAndKept() {
        IntrospectionVerifierAdapter verifier = verifier(Duration.ofSeconds(10), 100, 4);
        answer.set(active(",\"tenant\":\"acme\",\"nested\":{\"a\":1}"));

        Authentication first = verifier.verify("opaque-token-1");
        assertThat(first).isInstanceOfSatisfying(Authentication.Authenticated.class, ok -> {
            assertThat(ok.principal().subject()).isEqualTo("alice");
            assertThat(ok.principal().scopes()).containsExactlyInAnyOrder("mcp:tools", "mcp:read");
            assertThat(ok.principal().claims()).containsEntry("tenant", "acme").doesNotContainKey("nested");
        });
        assertThat(verifier.verify("opaque-token-1")).isEqualTo(first);
        assertThat(forms).hasSize(1);
        assertThat(forms.getFirst()).isEqualTo("token=opaque-token-1&token_type_hint=access_token");
        assertThat(authorizations.getFirst()).startsWith("Basic ");

        now.addAndGet(Duration.ofSeconds(61).toNanos());
        verifier.verify("opaque-token-1");
        assertThat(forms).as("asked again after the cache TTL").hasSize(2);
    }

    @Test
    void whatTheAnswerSaysAgainstTheTokenRefusesIt() {
        IntrospectionVerifierAdapter verifier = verifier(Duration.ofSeconds(10), 100, 4);
        String[][] cases = {
                {"{\"active\":false}", "not active"},
                {"{\"active\":\"true\",\"sub\":\"a\"}", "not active"},
                {"{\"active\":true,\"sub\":\"a\",\"iss\":\"https://other\"}", "another issuer"},
                {"{\"active\":true,\"sub\":\"a\",\"aud\":[\"https://other\"]}", "not for this resource"},
                {"{\"active\":true,\"sub\":\"a\",\"aud\":\"[https://other, x]\"}", "not for this resource"},
                {"{\"active\":true,\"sub\":\"a\",\"exp\":1000}", "expired"},
                {"{\"active\":true}", "subject"},
                {"{\"active\":true,\"sub\":\"null\"}", "subject"},
                {"{\"active\":true,\"sub\":\"a\\u0000b\"}", "subject"},
        };
        int i = 0;
        for (String[] c : cases) {
            answer.set(c[0]);
            assertThat(verifier.verify("token-" + i++)).as(c[0]).isInstanceOfSatisfying(Authentication.Refused.class, refused -> {
                assertThat(refused.refusal().kind()).isEqualTo(AuthRefusal.Kind.INVALID_TOKEN);
                assertThat(refused.refusal().detail()).contains(c[1]);
            });
        }
        answer.set("{\"active\":true,\"sub\":\"a\",\"aud\":\"[" + RESOURCE + "]\",\"exp\":\"Mon Dec 07 10:00:00 UTC 2026\"}");
        assertThat(verifier.verify("listed-as-text")).as("an audience list written as text, an unreadable exp").isInstanceOf(Authentication.Authenticated.class);
    }

    @Test
    void anEndpointThatFailsIsUnavailableNotInvalidAndNotKept() {
        IntrospectionVerifierAdapter verifier = verifier(Duration.ofMillis(500), 100, 4);
        for (String bad : new String[] {"not json", "[1]", "x".repeat(70_000)}) {
            answer.set(bad);
            assertThat(verifier.verify("t")).isInstanceOfSatisfying(Authentication.Refused.class,
                    r -> assertThat(r.refusal().kind()).isEqualTo(AuthRefusal.Kind.UNAVAILABLE));
        }
        answer.set("{}");
        status.set(500);
        assertThat(verifier.verify("t")).isInstanceOfSatisfying(Authentication.Refused.class,
                r -> assertThat(r.refusal().kind()).isEqualTo(AuthRefusal.Kind.UNAVAILABLE));
        status.set(200);
        delayMillis.set(5_000);
        long started = System.nanoTime();
        assertThat(verifier.verify("t")).isInstanceOfSatisfying(Authentication.Refused.class, r -> {
            assertThat(r.refusal().kind()).isEqualTo(AuthRefusal.Kind.UNAVAILABLE);
            assertThat(r.refusal().detail()).contains("in time");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(verifier.size()).isZero();
        IntrospectionVerifierAdapter nowhere = new IntrospectionVerifierAdapter(new IntrospectionConfig(URI.create("http://127.0.0.1:1/x"),
                "relay", "s", URI.create(ISSUER), Set.of(RESOURCE), Duration.ofSeconds(2), Duration.ofMinutes(1), 10, 2));
        assertThat(nowhere.verify("t")).isInstanceOfSatisfying(Authentication.Refused.class,
                r -> assertThat(r.refusal().kind()).isEqualTo(AuthRefusal.Kind.UNAVAILABLE));
    }

    @Test
    void answersKeptAreBoundedAndOneTokenIsIntrospectedOnceAtATime() throws Exception {
        IntrospectionVerifierAdapter verifier = verifier(Duration.ofSeconds(10), 5, 4);
        answer.set("{\"active\":false}");
        for (int i = 0; i < 20; i++) {
            verifier.verify("garbage-" + i);
            assertThat(verifier.size()).isLessThanOrEqualTo(5);
        }
        forms.clear();
        answer.set(active(""));
        delayMillis.set(300);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Authentication>> all = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                all.add(pool.submit(() -> verifier.verify("same")));
            }
            for (Future<Authentication> f : all) {
                assertThat(f.get()).isInstanceOf(Authentication.Authenticated.class);
            }
        }
        assertThat(forms).hasSize(1);
    }

    @Test
    void beyondItsPlacesARequestWaitsAtMostTheTimeout() throws Exception {
        IntrospectionVerifierAdapter verifier = verifier(Duration.ofMillis(800), 100, 1);
        answer.set(active(""));
        delayMillis.set(3_000);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Authentication> first = pool.submit(() -> verifier.verify("one"));
            Thread.sleep(100);
            long started = System.nanoTime();
            Authentication second = verifier.verify("two");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertThat(second).isInstanceOfSatisfying(Authentication.Refused.class,
                    r -> assertThat(r.refusal().kind()).isEqualTo(AuthRefusal.Kind.UNAVAILABLE));
            assertThat(first.get()).isInstanceOf(Authentication.Refused.class);
        }
    }

    @Test
    void byShapeSendsJwtsToOneVerifierAndTheRestToTheOther() {
        var jwt = (io.mcprelay.application.port.out.TokenVerifierPort) t -> Authentication.invalid("jwt");
        var opaque = (io.mcprelay.application.port.out.TokenVerifierPort) t -> Authentication.invalid("opaque");
        var both = IntrospectionVerifierAdapter.byShape(jwt, opaque);
        assertThat(((Authentication.Refused) both.verify("a.b.c")).refusal().detail()).isEqualTo("jwt");
        assertThat(((Authentication.Refused) both.verify("abc")).refusal().detail()).isEqualTo("opaque");
        assertThat(((Authentication.Refused) both.verify("a.b.c.d.e")).refusal().detail()).isEqualTo("opaque");
    }
}
