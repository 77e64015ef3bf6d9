package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The admin UI in a real browser (headless Chromium through chromedriver, both from the system:
 * bin/test installs them; no Selenium Manager download): log in with the token link, see the
 * overview, find a session whose client name is a script and see it as text, terminate it, and its
 * client then gets 404.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AdminUiBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String EVIL = "<script>window.pwned=1</script>";

    private final HttpClient http = HttpClient.newHttpClient();
    private StubUpstream upstream;
    private McpRelayServer relay;

    @BeforeEach
    void start() {
        upstream = MiniMcpUpstream.start();
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint()))
                .withAdmin(new AdminOptions(Optional.of(0), "127.0.0.1", Optional.empty())));
    }

    @AfterEach
    void stop() {
        relay.close();
        upstream.close();
    }

    @Test
    void anOperatorSeesAScriptAsTextAndTerminatesItsSession() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the admin UI browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": run bin/test, or apt-get install chromium chromium-driver");
        }
        // the session is created by a real MCP client: the official Java SDK, declaring a hostile name
        io.modelcontextprotocol.client.McpSyncClient client = io.modelcontextprotocol.client.McpClient.sync(
                        io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + relay.port())
                                .endpoint("/mcp").build())
                .clientInfo(new io.modelcontextprotocol.spec.McpSchema.Implementation(EVIL, "1"))
                .requestTimeout(Duration.ofSeconds(20)).build();
        client.initialize();
        List<io.mcprelay.domain.session.Session> sessions = relay.sessions()
                .list(io.mcprelay.application.port.out.SessionQuery.firstPage(10)).sessions();
        assertThat(sessions).singleElement().satisfies(s -> assertThat(s.client().name()).isEqualTo(EVIL));
        String session = sessions.getFirst().id().value();
        McpRelayServer.AdminListener admin = relay.admin().orElseThrow();
        String base = "http://127.0.0.1:" + admin.port();

        Path profile = Files.createTempDirectory("mcp-relay-chromium-");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile);
        WebDriver driver = null;
        try {
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));

            driver.get(base + "/login?token=" + admin.token());
            assertThat(driver.getCurrentUrl()).isEqualTo(base + "/");
            assertThat(driver.getTitle()).startsWith("Overview");
            assertThat(driver.findElement(By.id("session-count")).getText()).isEqualTo("1");
            assertThat(driver.findElement(By.id("upstreams")).getText()).contains("mini");

            driver.findElement(By.linkText("Sessions")).click();
            assertThat(awaitUrl(driver, base + "/sessions")).isEqualTo(base + "/sessions");
            WebElement row = rowOf(driver, session).orElseThrow(() -> new AssertionError("no row for session " + session));
            assertThat(row.findElement(By.className("client-name")).getText()).as("the client name is shown as text")
                    .contains("<script>").isEqualTo(EVIL);
            assertThat(((JavascriptExecutor) driver).executeScript("return window.pwned")).as("the client's script never ran").isNull();

            row.findElement(By.className("session-id")).click();
            assertThat(awaitUrl(driver, base + "/sessions/" + session)).isEqualTo(base + "/sessions/" + session);
            assertThat(driver.findElement(By.id("client-name")).getText()).isEqualTo(EVIL);
            assertThat(driver.findElement(By.id("session")).getText()).contains(session).contains("mini")
                    .contains(sessions.getFirst().protocolVersion().value());
            assertThat(((JavascriptExecutor) driver).executeScript("return window.pwned")).isNull();

            driver.findElement(By.id("terminate")).click();
            assertThat(awaitUrl(driver, base + "/sessions")).as("the terminate form redirects to the list").isEqualTo(base + "/sessions");
            assertThat(rowOf(driver, session)).isEmpty();
            assertThat(driver.findElement(By.id("total")).getText()).isEqualTo("0 sessions");
        } finally {
            if (driver != null) {
                driver.quit();
            }
            service.stop();
        }

        HttpResponse<String> after = mcp("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", session);
        assertThat(after.statusCode()).as("the terminated session's client gets 404").isEqualTo(404);
        try {
            client.close();
        } catch (RuntimeException sdkCloseAfterA404) {
            // SDK 2.1.0 may throw closing a client whose session is gone; not the relay's concern
        }
    }

    private static Optional<WebElement> rowOf(WebDriver driver, String session) {
        List<WebElement> rows = driver.findElements(By.cssSelector("tr.session"));
        return rows.stream().filter(r -> r.findElement(By.className("session-id")).getText().equals(session)).findFirst();
    }

    private HttpResponse<String> mcp(String body, String session) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits (at most 10 s) until the browser has navigated to {@code expected}; returns where it is. */
    private static String awaitUrl(WebDriver driver, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!expected.equals(driver.getCurrentUrl()) && System.nanoTime() < deadline) {
            Thread.sleep(25);
        }
        return driver.getCurrentUrl();
    }
}
