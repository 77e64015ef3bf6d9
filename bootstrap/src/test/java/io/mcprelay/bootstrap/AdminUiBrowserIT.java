package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.bootstrap.e2e.ServerEverything;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The admin console in a real browser (headless Chromium through chromedriver, both from the system:
 * bin/test installs them; no Selenium Manager download), in front of real upstreams: the reference
 * server {@code server-everything} and a small stub. Real MCP clients (the official Java SDK) make
 * traffic, one of them naming itself with a script. The operator logs in through the form, sees the
 * console with its live charts drawn, finds the script shown as text, sees a session's open GET
 * stream before its finished streams, drains an upstream (its state changes, new sessions go
 * elsewhere), ends a session (its client then gets 404) and logs out. Screenshots of each page go
 * to {@code target/admin-screenshots/} (the ones in docs/images come from here).
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AdminUiBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "admin-screenshots");
    private static final String EVIL = "<script>window.pwned=1</script>";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<McpSyncClient> clients = new ArrayList<>();
    private ServerEverything everything;
    private StubUpstream stub;
    private McpRelayServer relay;

    @BeforeEach
    void start() {
        everything = ServerEverything.start();
        stub = MiniMcpUpstream.start();
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("everything", everything.mcpEndpoint()))
                .withUpstreams(List.of(new UpstreamTarget("everything", everything.mcpEndpoint()), new UpstreamTarget("stub", stub.endpoint())),
                        UpstreamOptions.defaults())
                .withAdmin(new AdminOptions(Optional.of(0), "127.0.0.1", Optional.empty())));
    }

    @AfterEach
    void stop() {
        for (McpSyncClient client : clients) {
            try {
                client.close();
            } catch (RuntimeException sdkCloseAfterA404) {
                // SDK 2.1.0 may throw closing a client whose session is gone; not the relay's concern
            }
        }
        relay.close();
        stub.close();
        everything.close();
    }

    @Test
    void anOperatorLogsInWatchesDrainsAnUpstreamAndEndsASession() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the admin UI browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": run bin/test, or apt-get install chromium chromium-driver");
        }
        // real clients: round robin puts them on both upstreams; the ones on server-everything call tools
        for (String name : List.of("ide-assistant", "batch-agent", EVIL, "notebook")) {
            McpSyncClient client = client(name);
            client.initialize();
            client.ping();
            client.listTools();
            if (sessionOf(name).upstream().equals("everything")) {
                for (int i = 0; i < 3; i++) {
                    client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "hello " + i)));
                }
                client.callTool(new McpSchema.CallToolRequest("get-sum", Map.of("a", 2, "b", 40)));
            }
        }
        for (int i = 0; i < 2; i++) { // a client that lost its session: client errors for the errors chart
            HttpResponse<String> lost = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                    .timeout(Duration.ofSeconds(10)).header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                    .header("Mcp-Session-Id", "gone-" + i).POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(lost.statusCode()).isEqualTo(404);
        }
        Session evil = sessionOf(EVIL);
        Session watched = relay.sessions().list(SessionQuery.firstPage(10)).sessions().stream()
                .filter(s -> s.upstream().equals("everything") && !s.client().name().equals(EVIL)).findFirst().orElseThrow();
        // the SDK client holds its session's standalone GET stream open: a second one is refused
        HttpResponse<String> secondGet = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                .timeout(Duration.ofSeconds(10)).header("Accept", "text/event-stream").header("Mcp-Session-Id", watched.id().value())
                .header("MCP-Protocol-Version", watched.protocolVersion().value()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(secondGet.statusCode()).as("the SDK's own GET stream is open").isEqualTo(409);

        McpRelayServer.AdminListener admin = relay.admin().orElseThrow();
        String base = "http://127.0.0.1:" + admin.port();
        Files.createDirectories(SCREENSHOTS);
        Path profile = Files.createTempDirectory("mcp-relay-chromium-");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1360,1100", "--user-data-dir=" + profile);
        WebDriver driver = null;
        try {
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            JavascriptExecutor js = (JavascriptExecutor) driver;

            // log in through the form: the token never goes into a URL
            driver.get(base + "/");
            assertThat(awaitUrl(driver, base + "/login")).as("an anonymous browser is sent to the login form").isEqualTo(base + "/login");
            screenshot(driver, "admin-login.png");
            driver.findElement(By.id("token")).sendKeys(admin.token());
            driver.findElement(By.id("login")).click();
            assertThat(awaitUrl(driver, base + "/")).isEqualTo(base + "/");
            assertThat(driver.getTitle()).startsWith("Overview");
            assertThat(driver.findElement(By.id("session-count")).getText()).isEqualTo("4");
            assertThat(driver.findElement(By.id("upstreams")).getText()).contains("everything").contains("stub");
            WebDriver browser = driver;
            await(() -> "ok".equals(browser.findElement(By.tagName("body")).getAttribute("data-live")), "the live charts to load");
            assertThat(driver.findElements(By.cssSelector("#chart-rate polyline"))).as("the requests chart is drawn").hasSize(1);
            assertThat(driver.findElement(By.id("chart-latency")).getText()).as("with axes and units").contains("ms").contains("now");
            assertThat(driver.findElement(By.id("chart-rate")).getText()).contains("requests/s").contains("-5 min");
            assertThat(driver.findElement(By.id("open-streams")).getText()).isNotEqualTo("0");
            assertThat(driver.findElement(By.id("client-error-rate")).getText()).as("the lost client's requests").isNotEqualTo("0.0");
            screenshot(driver, "admin-overview.png");

            // sessions: the hostile client name is text, and never ran
            driver.findElement(By.linkText("Sessions")).click();
            assertThat(awaitUrl(driver, base + "/sessions")).isEqualTo(base + "/sessions");
            WebElement row = rowOf(driver, evil.id().value()).orElseThrow(() -> new AssertionError("no row for " + evil.id()));
            assertThat(row.findElement(By.className("client-name")).getText()).as("the client name is shown as text").isEqualTo(EVIL);
            assertThat(js.executeScript("return window.pwned")).as("the client's script never ran").isNull();
            screenshot(driver, "admin-sessions.png");

            // one session: its open GET stream first, then its messages with method and latency, then finished streams
            driver.get(base + "/sessions/" + watched.id().value());
            String page = driver.findElement(By.tagName("main")).getText();
            assertThat(driver.findElement(By.id("open-streams-table")).getText()).contains("GET standalone");
            assertThat(page.indexOf("Open streams (1)")).isLessThan(page.indexOf("Messages")).isLessThan(page.indexOf("Finished streams"));
            assertThat(driver.findElement(By.id("traffic")).getText()).contains("tools/call").contains("tools/list").contains("initialize")
                    .contains("client → upstream").contains(" ms");
            screenshot(driver, "admin-session.png");

            // drain the stub: its state changes, and a new session goes to the other upstream
            driver.findElement(By.linkText("Upstreams")).click();
            assertThat(awaitUrl(driver, base + "/upstreams")).isEqualTo(base + "/upstreams");
            assertThat(upstreamRow(driver, "stub").findElement(By.className("state")).getText()).doesNotContain("DRAINED");
            driver.findElement(By.id("drain-stub")).click();
            await(() -> upstreamRow(browser, "stub").findElement(By.className("state")).getText().contains("DRAINED"), "the stub to show DRAINED");
            assertThat(driver.findElements(By.id("enable-stub"))).hasSize(1);
            for (int i = 0; i < 2; i++) {
                client("after-drain-" + i).initialize();
                assertThat(sessionOf("after-drain-" + i).upstream()).as("a drained upstream gets no new sessions").isEqualTo("everything");
            }
            screenshot(driver, "admin-upstreams.png");
            driver.findElement(By.id("enable-stub")).click();
            await(() -> !upstreamRow(browser, "stub").findElement(By.className("state")).getText().contains("DRAINED"), "the stub enabled");

            // end the hostile session
            driver.get(base + "/sessions/" + evil.id().value());
            assertThat(driver.findElement(By.id("client-name")).getText()).isEqualTo(EVIL);
            assertThat(js.executeScript("return window.pwned")).isNull();
            driver.findElement(By.id("terminate")).click();
            assertThat(awaitUrl(driver, base + "/sessions")).as("ending redirects to the list").isEqualTo(base + "/sessions");
            assertThat(rowOf(driver, evil.id().value())).isEmpty();
            assertThat(driver.findElement(By.id("total")).getText()).isEqualTo("5 sessions");

            driver.findElement(By.id("logout")).click();
            assertThat(awaitUrl(driver, base + "/login")).isEqualTo(base + "/login");
            driver.get(base + "/sessions");
            assertThat(awaitUrl(driver, base + "/login")).as("logged out").isEqualTo(base + "/login");
        } finally {
            if (driver != null) {
                driver.quit();
            }
            service.stop();
        }

        HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                .timeout(Duration.ofSeconds(10)).header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .header("Mcp-Session-Id", evil.id().value()).POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).as("the ended session's client gets 404").isEqualTo(404);
    }

    private McpSyncClient client(String name) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + relay.port()).endpoint("/mcp").build())
                .clientInfo(new McpSchema.Implementation(name, "1.4.2")).requestTimeout(Duration.ofSeconds(20)).build();
        clients.add(client);
        return client;
    }

    private Session sessionOf(String clientName) {
        return relay.sessions().list(SessionQuery.firstPage(50)).sessions().stream().filter(s -> s.client().name().equals(clientName))
                .findFirst().orElseThrow(() -> new AssertionError("no session of " + clientName));
    }

    private static Optional<WebElement> rowOf(WebDriver driver, String session) {
        return driver.findElements(By.cssSelector("tr.session")).stream()
                .filter(r -> r.findElement(By.className("session-id")).getText().equals(session)).findFirst();
    }

    private static WebElement upstreamRow(WebDriver driver, String name) {
        return driver.findElement(By.cssSelector("tr.upstream[data-upstream='" + name + "']"));
    }

    private static void screenshot(WebDriver driver, String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    /** Waits (at most 15 s) until the browser has navigated to {@code expected}; returns where it is. */
    private static String awaitUrl(WebDriver driver, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!expected.equals(driver.getCurrentUrl()) && System.nanoTime() < deadline) {
            Thread.sleep(25);
        }
        return driver.getCurrentUrl();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (org.openqa.selenium.WebDriverException stale) {
                // the page was being replaced; look again
            }
            Thread.sleep(50);
        }
        throw new AssertionError("waited 15 s for " + what);
    }
}
