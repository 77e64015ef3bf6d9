// The official MCP TypeScript SDK client (v1, pinned in package.json) through mcp-relay with a bearer token:
// connect (initialize), list the tools, call echo, end the session. Prints one JSON line with what happened.
// Usage: node e2e/bearer-client.mjs <mcp-url> [token]      (driven by AuthEndToEndIT)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, token] = process.argv.slice(2);
const options = token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {};
const transport = new StreamableHTTPClientTransport(new URL(url), options);
const client = new Client({ name: 'mcp-relay-bearer-client', version: '1.0.0' });
try {
  await client.connect(transport);
  const tools = await client.listTools();
  const echo = await client.callTool({ name: 'echo', arguments: { message: 'through the relay' } });
  const session = transport.sessionId;
  await transport.terminateSession();
  await client.close();
  console.log(JSON.stringify({ ok: true, session, tools: tools.tools.map((t) => t.name), echo: echo.content?.[0]?.text ?? null }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e?.message ?? e), code: e?.code ?? null }));
}
process.exit(0);
