// A client driver for mcp-relay's era-matrix end-to-end tests: connects one official SDK client to an
// MCP endpoint, runs a fixed scenario and prints ONE JSON line of results on stdout.
//
//   node e2e/era/client.mjs <kind> <url>
//
// kind: `v1`        @modelcontextprotocol/sdk 1.x Client (2025 era only)
//       `v2-legacy` @modelcontextprotocol/client 2.x, versionNegotiation mode 'legacy' (its default)
//       `v2-auto`   @modelcontextprotocol/client 2.x, mode 'auto' (server/discover probe, legacy fallback)
//       `v2-modern` @modelcontextprotocol/client 2.x, mode { pin: '2026-07-28' } (no fallback)
//
// Scenario: connect; tools/list; echo {message:"hello"}; trigger-long-running-operation {duration:1,steps:3}
// with a progress callback; trigger-elicitation-request answered with the fixed form
// {name:"Ada Lovelace", check:true}; then, if the server lists `trigger-list-changed`, listen for
// notifications/tools/list_changed (a subscriptions/listen stream in the modern era, the GET stream in
// the legacy era), call it (again every 2 s) and wait up to 10 s for the notification.
//
// Output: {"client":…,"connect":{"ok":…,"era":…,"protocolVersion":…,"error":…},"steps":{…}} where
// each step is {"ok":true,…facts} or {"ok":false,"error":"…"}; steps are absent when connect failed.
// Exit code 0 whenever the line was printed (the outcome is in the line), 2 on bad usage.

const [kind, url] = process.argv.slice(2);
const KINDS = ['v1', 'v2-legacy', 'v2-auto', 'v2-modern'];
if (!KINDS.includes(kind) || !url) {
    console.error(`usage: node client.mjs ${KINDS.join('|')} <url>`);
    process.exit(2);
}

const FORM = { name: 'Ada Lovelace', check: true };
const STEP_TIMEOUT_MS = 30_000;
const LIST_CHANGED_WAIT_MS = 10_000;

function describe(error) {
    const code = error?.code !== undefined ? ` (code ${error.code})` : '';
    return `${error?.name ?? 'Error'}${code}: ${String(error?.message ?? error).split('\n')[0].slice(0, 300)}`;
}

function texts(result) {
    return (result?.content ?? []).filter(c => c.type === 'text').map(c => c.text);
}

async function step(steps, name, body) {
    try {
        steps[name] = { ok: true, ...(await body()) };
    } catch (error) {
        steps[name] = { ok: false, error: describe(error) };
    }
}

async function makeClient() {
    if (kind === 'v1') {
        const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
        const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
        const types = await import('@modelcontextprotocol/sdk/types.js');
        const client = new Client({ name: 'era-matrix-v1', version: '1.0.0' }, { capabilities: { elicitation: {} } });
        return {
            client,
            transport: new StreamableHTTPClientTransport(new URL(url)),
            era: () => 'legacy',
            protocolVersion: () => client.transport?.protocolVersion,
            onElicit: handler => client.setRequestHandler(types.ElicitRequestSchema, handler),
            onToolsChanged: handler => client.setNotificationHandler(types.ToolListChangedNotificationSchema, handler),
            callTool: (params, options) => client.callTool(params, types.CallToolResultSchema, options),
            listen: null
        };
    }
    const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
    const mode = { 'v2-legacy': 'legacy', 'v2-auto': 'auto', 'v2-modern': { pin: '2026-07-28' } }[kind];
    const client = new Client(
        { name: `era-matrix-${kind}`, version: '1.0.0' },
        { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode } }
    );
    return {
        client,
        transport: new StreamableHTTPClientTransport(new URL(url)),
        era: () => client.getProtocolEra(),
        protocolVersion: () => client.getNegotiatedProtocolVersion(),
        onElicit: handler => client.setRequestHandler('elicitation/create', handler),
        onToolsChanged: handler => client.setNotificationHandler('notifications/tools/list_changed', handler),
        callTool: (params, options) => client.callTool(params, options),
        listen: filter => client.listen(filter)
    };
}

async function main() {
    const out = { client: kind, url, connect: { ok: false } };
    const sdk = await makeClient();
    let elicitations = 0;
    sdk.onElicit(async request => {
        elicitations++;
        return { action: 'accept', content: FORM, _seen: request.params?.message };
    });
    let onToolsChanged = () => {};
    sdk.onToolsChanged(async () => onToolsChanged());
    try {
        await sdk.client.connect(sdk.transport, { timeout: STEP_TIMEOUT_MS });
        out.connect = {
            ok: true,
            era: sdk.era() ?? null,
            protocolVersion: sdk.protocolVersion() ?? null,
            server: sdk.client.getServerVersion()?.name ?? null
        };
    } catch (error) {
        out.connect = { ok: false, error: describe(error) };
        return out;
    }
    const steps = {};
    out.steps = steps;
    let toolNames = [];
    await step(steps, 'listTools', async () => {
        const { tools } = await sdk.client.listTools({}, { timeout: STEP_TIMEOUT_MS });
        toolNames = tools.map(t => t.name);
        const wanted = ['echo', 'trigger-long-running-operation', 'trigger-elicitation-request', 'trigger-list-changed'];
        return { listed: wanted.filter(n => toolNames.includes(n)) };
    });
    await step(steps, 'echo', async () => {
        const result = await sdk.callTool({ name: 'echo', arguments: { message: 'hello' } }, { timeout: STEP_TIMEOUT_MS });
        return { text: texts(result)[0] ?? null };
    });
    await step(steps, 'progress', async () => {
        let progress = 0;
        const result = await sdk.callTool(
            { name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 3 } },
            { timeout: STEP_TIMEOUT_MS, onprogress: () => progress++ }
        );
        return { notifications: progress, text: texts(result)[0] ?? null };
    });
    await step(steps, 'elicitation', async () => {
        const before = elicitations;
        const result = await sdk.callTool({ name: 'trigger-elicitation-request', arguments: {} }, { timeout: STEP_TIMEOUT_MS });
        return {
            asked: elicitations - before,
            isError: result.isError === true,
            answered: texts(result).some(t => t.includes(FORM.name))
        };
    });
    if (toolNames.includes('trigger-list-changed')) {
        await step(steps, 'listChanged', async () => {
            let subscription = null;
            if (sdk.era() === 'modern') {
                subscription = await sdk.listen({ toolsListChanged: true }); // resolves on the server's acknowledgement
            }
            // A 2025-era notification sent before the client's GET stream is attached is lost by design, and the
            // stream opens asynchronously after initialize: trigger again every 2 s until one arrives (10 s at most).
            const arrived = new Promise(resolve => (onToolsChanged = resolve));
            const deadline = Date.now() + LIST_CHANGED_WAIT_MS;
            let received = false;
            while (!received && Date.now() < deadline) {
                await sdk.callTool({ name: 'trigger-list-changed', arguments: {} }, { timeout: STEP_TIMEOUT_MS });
                received = await Promise.race([
                    arrived.then(() => true),
                    new Promise(resolve => setTimeout(() => resolve(false), 2_000))
                ]);
            }
            await subscription?.close();
            return { via: subscription ? 'subscriptions/listen' : 'GET stream', received };
        });
    }
    return out;
}

let out;
try {
    out = await main();
} catch (error) {
    out = { client: kind, url, connect: { ok: false, error: `driver failure: ${describe(error)}` } };
}
process.stdout.write(JSON.stringify(out) + '\n', () => process.exit(0));
