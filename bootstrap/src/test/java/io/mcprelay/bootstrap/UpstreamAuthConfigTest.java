package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.adapter.http.out.credentials.TokenEndpoint;
import io.mcprelay.application.port.out.upstream.ClientContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code upstreams[].auth}: read strictly, printed without a secret, read back the same, secrets read when built. */
class UpstreamAuthConfigTest {

    private static final String FILE = """
            upstreams:
              - name: github
                url: https://api.example.test/mcp
                auth:
                  headers:
                    X-Api-Key: {env: GITHUB_KEY}
                    X-Tenant: inline-tenant-value
                    X-Other: {file: /run/secrets/other, prefix: "Key "}
              - name: crm
                url: https://crm.example.test/mcp
                auth:
                  clientCredentials:
                    tokenUrl: https://idp.example.test/oauth2/token
                    clientId: mcp-relay
                    clientSecret: {env: CRM_SECRET}
                    clientAuth: client_secret_post
                    scope: crm.read
                    audience: https://crm.example.test
                    timeout: 3s
              - name: docs
                url: https://docs.example.test/mcp
                auth:
                  tokenExchange:
                    tokenUrl: https://idp.example.test/oauth2/token
                    clientId: mcp-relay
                    clientAuth: private_key_jwt
                    clientKey: {file: /run/secrets/relay.jwk}
                    audience: https://docs.example.test
                    cacheSize: 500
            """;

    @Test
    void everyFormIsReadAndPrintedWithoutAValue() throws Exception {
        Configuration configuration = Configuration.resolve(ConfigFile.parse(FILE), Map.of(), Map.of());
        Map<String, UpstreamAuth> auth = configuration.options().upstreamAuth();

        assertThat(auth.get("github").headers()).containsEntry("X-Api-Key", new UpstreamAuth.Secret("env", "GITHUB_KEY", ""))
                .containsEntry("X-Tenant", new UpstreamAuth.Secret("value", "inline-tenant-value", ""))
                .containsEntry("X-Other", new UpstreamAuth.Secret("file", "/run/secrets/other", "Key "));
        UpstreamAuth.Grant crm = auth.get("crm").clientCredentials().orElseThrow();
        assertThat(crm.clientAuth()).isEqualTo(TokenEndpoint.ClientAuth.CLIENT_SECRET_POST);
        assertThat(crm.scope()).contains("crm.read");
        assertThat(crm.timeout()).hasSeconds(3);
        UpstreamAuth.Grant docs = auth.get("docs").tokenExchange().orElseThrow();
        assertThat(docs.clientAuth()).isEqualTo(TokenEndpoint.ClientAuth.PRIVATE_KEY_JWT);
        assertThat(docs.cacheSize()).isEqualTo(500);

        String printed = ConfigPrinter.yaml(configuration);
        assertThat(printed).doesNotContain("inline-tenant-value").contains("GITHUB_KEY").contains("/run/secrets/relay.jwk")
                .contains("CRM_SECRET");
        Configuration readBack = Configuration.resolve(ConfigFile.parse(ConfigPrinter.yaml(configuration).replace("\"********\"", "x")),
                Map.of(), Map.of());
        assertThat(readBack.options().upstreamAuth().get("crm")).isEqualTo(auth.get("crm"));
        assertThat(readBack.options().upstreamAuth().get("docs")).isEqualTo(auth.get("docs"));
    }

    @Test
    void upstreamsFromTheCommandLineReplaceTheFilesAndTheirCredentials() throws Exception {
        Configuration configuration = Configuration.resolve(ConfigFile.parse(FILE), Map.of(),
                CommandLine.parse("--upstream", "only=http://127.0.0.1:1/mcp").settings());
        assertThat(configuration.options().upstreamAuth()).isEmpty();
    }

    @Test
    void wrongKeysAndValuesAreProblemsWithTheirPaths() {
        assertThatThrownBy(() -> Configuration.resolve(ConfigFile.parse("""
                upstreams:
                  - name: a
                    url: http://a.test/mcp
                    auth:
                      headers:
                        Host: x
                        "bad name": x
                        Authorization: {env: A, file: B}
                      clientCredentials:
                        tokenUrl: ftp://idp.test/token
                        clientSecrets: {env: S}
                        timeout: 2h
                      tokenExchange:
                        tokenUrl: https://idp.test/token
                        clientId: relay
                        clientSecret: {env: S}
                  - name: b
                    command: node
                    auth: {headers: {X-Key: k}}
                """), Map.of(), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(String.join("\n", e.problems()))
                        .contains("upstreams[0].auth.headers.Host: mcp-relay sets this header itself")
                        .contains("upstreams[0].auth.headers.bad name: not a header name")
                        .contains("upstreams[0].auth.headers.Authorization: exactly one of env, file or value")
                        .contains("upstreams[0].auth.clientCredentials.tokenUrl: not an http(s) URL")
                        .contains("upstreams[0].auth.clientCredentials.clientSecrets: unknown key (did you mean \"clientSecret\"?)")
                        .contains("upstreams[0].auth.clientCredentials.clientId: required")
                        .contains("upstreams[0].auth.clientCredentials.timeout: from 100ms to 1m")
                        .contains("upstreams[0].auth.tokenExchange: needs audience or resource")
                        .contains("upstreams[1].auth: only an HTTP upstream (url) takes credentials"));
    }

    @Test
    void secretsAreReadWhenBuiltAndAMissingOneNamesWhatIsMissing(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("key"), "from-file\n");
        UpstreamAuth auth = new UpstreamAuth(Map.of("X-Env", new UpstreamAuth.Secret("env", "THE_KEY", "Key "),
                "X-File", new UpstreamAuth.Secret("file", file.toString(), "")), java.util.Optional.empty(), java.util.Optional.empty());

        Map<String, String> headers = UpstreamAuth.build(Map.of("a", auth), Map.of("THE_KEY", "from-env")::get).get("a")
                .headers(ClientContext.NONE);
        assertThat(headers).containsEntry("X-Env", "Key from-env").containsEntry("X-File", "from-file");

        assertThatThrownBy(() -> UpstreamAuth.build(Map.of("a", auth), name -> null))
                .hasMessageContaining("upstream a").hasMessageContaining("THE_KEY is not set");
        UpstreamAuth missingFile = new UpstreamAuth(Map.of("X-File", new UpstreamAuth.Secret("file", dir.resolve("none").toString(), "")),
                java.util.Optional.empty(), java.util.Optional.empty());
        assertThatThrownBy(() -> UpstreamAuth.build(Map.of("a", missingFile), name -> null)).hasMessageContaining("cannot read");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        UpstreamAuth emptyFile = new UpstreamAuth(Map.of("X-File", new UpstreamAuth.Secret("file", empty.toString(), "")),
                java.util.Optional.empty(), java.util.Optional.empty());
        assertThatThrownBy(() -> UpstreamAuth.build(Map.of("a", emptyFile), name -> null)).hasMessageContaining("is empty");
        assertThat(List.of(auth.headers().keySet().toArray())).containsExactlyInAnyOrder("X-Env", "X-File");
    }
}
