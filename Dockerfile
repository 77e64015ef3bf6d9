# mcp-relay's image: the release archive (bin/package: a jlink runtime, the jars, the class-data
# archive) on a slim Debian, run as a non-root user. Build the archive first, then the image:
#   bin/package                       # writes target/release/mcp-relay-VERSION-linux-x64.tar.gz
#   docker build --build-arg VERSION=0.1.0-SNAPSHOT -t mcp-relay:0.1.0-SNAPSHOT .
#   docker run --rm -p 8080:8080 mcp-relay:0.1.0-SNAPSHOT --upstream http://mcp-server:3001/mcp
#   docker run --rm -p 8080:8080 -v "$PWD/mcp-relay.yaml:/etc/mcp-relay/mcp-relay.yaml:ro" mcp-relay:0.1.0-SNAPSHOT
# Arguments after the image name are the relay's flags (see --help); without any it reads
# /etc/mcp-relay/mcp-relay.yaml. docs/deployment.md says what was and was not tried of this file.
# A test (DeploymentFilesProcessIT) checks its flags, port, user and health check against the relay.
ARG DEBIAN=debian:trixie-slim

FROM ${DEBIAN} AS unpack
ARG VERSION=0.1.0-SNAPSHOT
COPY target/release/mcp-relay-${VERSION}-linux-x64.tar.gz /tmp/mcp-relay.tar.gz
RUN mkdir -p /opt/mcp-relay \
    && tar -xzf /tmp/mcp-relay.tar.gz -C /opt/mcp-relay --strip-components=1 \
    && /opt/mcp-relay/bin/mcp-relay --version

FROM ${DEBIAN}
# The archive brings its own Java runtime: nothing to install. bin/probe (the health check) is bash.
RUN groupadd --system --gid 10001 mcp-relay \
    && useradd --system --uid 10001 --gid mcp-relay --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin mcp-relay
COPY --from=unpack /opt/mcp-relay /opt/mcp-relay
# The relay listens on 127.0.0.1 unless told otherwise (a safe default on a host); inside a container
# only 0.0.0.0 is reachable through a published port. As an environment setting, so that flags given
# to `docker run` (which replace CMD) keep it; a --bind flag still overrides it.
ENV MCP_RELAY_BIND=0.0.0.0
EXPOSE 8080
USER 10001:10001
# Liveness, not readiness: a draining relay (after SIGTERM) is not ready but must not be marked
# unhealthy and killed before its streams end. Readiness (/health/ready) is for load balancers.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/opt/mcp-relay/bin/probe", "http://127.0.0.1:8080/health/live"]
# SIGTERM drains (docs/deployment.md): give `docker stop` more than the drain timeout, e.g. -t 45.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/mcp-relay/bin/mcp-relay"]
CMD ["--config", "/etc/mcp-relay/mcp-relay.yaml"]
