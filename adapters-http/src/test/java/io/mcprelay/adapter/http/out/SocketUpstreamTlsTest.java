package io.mcprelay.adapter.http.out;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SocketUpstreamAdapter} to https upstreams: the JDK's {@code HttpsServer} with certificates
 * made by {@code keytool} for this run, and a client TLS context that trusts them. Checks the
 * exchange, keep-alive reuse (also after the idle check, which reads with a 1 ms timeout through
 * TLS), hostname verification, and that the default trust refuses a certificate it does not know.
 */
class SocketUpstreamTlsTest {

    private static final String PASSWORD = "changeit";
    private static final String JSON = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}";
    private static final byte[] REQUEST = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path keys;
    /** A certificate for 127.0.0.1 and one for another name only. */
    private static KeyStore forLoopback;
    private static KeyStore forOtherName;

    private final List<String> connections = new CopyOnWriteArrayList<>();
    private final CountDownLatch silenceOver = new CountDownLatch(1);
    private HttpsServer server;
    private SocketUpstreamAdapter adapter;

    @BeforeAll
    static void makeCertificates() throws Exception {
        forLoopback = keyStore("loopback", "SAN=ip:127.0.0.1");
        forOtherName = keyStore("other", "SAN=dns:upstream.example");
    }

    @AfterEach
    void stop() {
        silenceOver.countDown();
        if (adapter != null) {
            adapter.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void exchangesWithAnHttpsUpstreamAndReusesTheConnection() throws Exception {
        URI endpoint = start(forLoopback);
        adapter = new SocketUpstreamAdapter(config(), trusting(forLoopback));
        UpstreamTarget target = new UpstreamTarget("tls", endpoint);

        for (int i = 0; i < 3; i++) {
            assertThat(adapter.exchange(post(target))).isInstanceOfSatisfying(HttpAnswer.Json.class,
                    json -> assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo(JSON));
        }
        Thread.sleep(1_300); // idle a while: the check before reuse reads the raw channel under TLS
        assertThat(adapter.exchange(post(target))).isInstanceOf(HttpAnswer.Json.class);

        assertThat(connections).as("client ports seen by the server").hasSize(4).containsOnly(connections.getFirst());
        assertThat(adapter.idleConnections("tls")).isEqualTo(1);
    }

    @Test
    void anHttpsUpstreamThatNeverAnswersTimesOutWithinTheReadTimeout() throws Exception {
        URI endpoint = start(forLoopback).resolve("/silent");
        adapter = new SocketUpstreamAdapter(config().withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(500)), trusting(forLoopback));

        long started = System.nanoTime();
        assertThat(adapter.exchange(post(new UpstreamTarget("silent-tls", endpoint))))
                .isInstanceOfSatisfying(HttpAnswer.Unreachable.class, u -> assertThat(u.cause()).isEqualTo(Cause.TIMEOUT));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
        assertThat(adapter.availablePermits("silent-tls")).isEqualTo(config().maxConcurrent());
        assertThat(adapter.idleConnections("silent-tls")).isZero();
    }

    @Test
    void refusesACertificateForAnotherHost() throws Exception {
        URI endpoint = start(forOtherName);
        adapter = new SocketUpstreamAdapter(config(), trusting(forOtherName));

        assertThat(adapter.exchange(post(new UpstreamTarget("wrong-name", endpoint))))
                .isInstanceOfSatisfying(HttpAnswer.Unreachable.class, u -> {
                    assertThat(u.cause()).isEqualTo(Cause.CONNECT);
                    assertThat(u.detail()).contains("No subject alternative names matching IP address 127.0.0.1");
                });
        assertThat(adapter.availablePermits("wrong-name")).isEqualTo(config().maxConcurrent());
    }

    @Test
    void theDefaultTrustRefusesAnUnknownCertificate() throws Exception {
        URI endpoint = start(forLoopback);
        adapter = new SocketUpstreamAdapter(config());

        assertThat(adapter.exchange(post(new UpstreamTarget("untrusted", endpoint))))
                .isInstanceOfSatisfying(HttpAnswer.Unreachable.class, u -> assertThat(u.cause()).isEqualTo(Cause.CONNECT));
    }

    private URI start(KeyStore keyStore) throws Exception {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/mcp", exchange -> {
            connections.add(Integer.toString(exchange.getRemoteAddress().getPort()));
            try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                in.readAllBytes();
                byte[] body = JSON.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                out.write(body);
            }
        });
        server.createContext("/silent", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                silenceOver.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
    }

    /** A key pair and self-signed certificate made by the JDK's keytool, loaded. */
    private static KeyStore keyStore(String name, String extension) throws Exception {
        Path file = keys.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "upstream", "-keyalg", "EC",
                "-dname", "CN=" + name, "-ext", extension, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool: " + output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    /** A client context that trusts exactly the certificate in {@code keyStore}. */
    private static SSLContext trusting(KeyStore keyStore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("upstream", keyStore.getCertificate("upstream"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static UpstreamClientConfig config() {
        return UpstreamClientConfig.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    private static HttpRequest post(UpstreamTarget target) {
        return new HttpRequest(target, HttpRequest.Method.POST, Map.of("Content-Type", "application/json"),
                Optional.empty(), REQUEST);
    }
}
