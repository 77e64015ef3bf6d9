// A small MCP server built on the official TypeScript SDK v2 (@modelcontextprotocol/server, pinned in
// e2e/package.json), for mcp-relay's era-matrix end-to-end tests.
//
//   node e2e/era/v2-server.mjs <port> <mode>
//
// mode `dual`: 2026-07-28 requests go to the SDK's createMcpHandler (legacy: 'reject'); 2025-era
//   requests (as the SDK's isLegacyRequest classifies them) go to a sessionful 2025 Streamable HTTP
//   transport, one McpServer per session, so the legacy era has sessions, a GET stream and
//   server->client requests, the routing the SDK documents for "an existing legacy deployment next
//   to this entry".
// mode `modern-only`: createMcpHandler(factory, { legacy: 'reject' }) for everything (GET/DELETE
//   405, 2025-era requests 400 -32022).
//
// The endpoint is http://127.0.0.1:<port>/mcp. Prints `v2-server listening on port <port>` once it
// listens. Tools (names as in server-everything, so one client scenario fits both):
//   echo {message}                                  -> "Echo: <message>"
//   trigger-long-running-operation {duration,steps} -> progress notifications, then a text result
//   trigger-elicitation-request {}                  -> input_required with a form elicitation (modern;
//                                                      the SDK's legacy shim turns it into a
//                                                      server->client elicitation/create on 2025 sessions)
//   trigger-list-changed {}                         -> notifications/tools/list_changed to every
//                                                      listener (modern listen streams, legacy GET streams)
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import {
    McpServer,
    WebStandardStreamableHTTPServerTransport,
    acceptedContent,
    createMcpHandler,
    fromJsonSchema,
    inputRequired,
    isLegacyRequest
} from '@modelcontextprotocol/server';

const [portArg, mode = 'dual'] = process.argv.slice(2);
const port = Number(portArg);
if (!Number.isInteger(port) || port <= 0 || !['dual', 'modern-only'].includes(mode)) {
    console.error('usage: node v2-server.mjs <port> dual|modern-only');
    process.exit(2);
}

const legacySessions = new Map(); // session id -> { transport, server }
let modernHandler;

function triggerListChanged() {
    modernHandler.notify.toolsChanged();
    for (const { server } of legacySessions.values()) {
        server.sendToolListChanged();
    }
}

const ELICIT_SCHEMA = {
    type: 'object',
    properties: {
        name: { type: 'string', title: 'Name', description: 'Your full name' },
        check: { type: 'boolean', title: 'Agree', description: 'Agree to the terms' }
    },
    required: ['name']
};

function factory() {
    const server = new McpServer(
        { name: 'mcp-relay-era-v2-server', version: '1.0.0' },
        { capabilities: { tools: { listChanged: true } }, instructions: 'era matrix test server' }
    );
    server.registerTool(
        'echo',
        {
            description: 'Echoes back the input string',
            inputSchema: fromJsonSchema({
                type: 'object',
                properties: { message: { type: 'string' } },
                required: ['message']
            })
        },
        async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] })
    );
    server.registerTool(
        'trigger-long-running-operation',
        {
            description: 'Sends progress notifications, then completes',
            inputSchema: fromJsonSchema({
                type: 'object',
                properties: { duration: { type: 'number' }, steps: { type: 'number' } }
            })
        },
        async ({ duration = 1, steps = 3 }, ctx) => {
            const token = ctx.mcpReq._meta?.progressToken;
            for (let i = 1; i <= steps; i++) {
                await new Promise(resolve => setTimeout(resolve, (duration * 1000) / steps));
                if (token !== undefined) {
                    await ctx.mcpReq.notify({
                        method: 'notifications/progress',
                        params: { progress: i, total: steps, progressToken: token }
                    });
                }
            }
            return {
                content: [
                    { type: 'text', text: `Long running operation completed. Duration: ${duration} seconds, Steps: ${steps}.` }
                ]
            };
        }
    );
    server.registerTool(
        'trigger-elicitation-request',
        { description: 'Asks the user for a name (input_required / elicitation/create)', inputSchema: fromJsonSchema({ type: 'object' }) },
        async (_args, ctx) => {
            const form = acceptedContent(ctx.mcpReq.inputResponses, 'form');
            if (form === undefined) {
                return inputRequired({
                    inputRequests: {
                        form: inputRequired.elicit({ message: 'Please provide your name', requestedSchema: ELICIT_SCHEMA })
                    }
                });
            }
            return {
                content: [
                    { type: 'text', text: `✅ User provided the requested information!` },
                    { type: 'text', text: `User inputs:\n- Name: ${form.name}` }
                ]
            };
        }
    );
    server.registerTool(
        'trigger-list-changed',
        { description: 'Sends notifications/tools/list_changed to every listener', inputSchema: fromJsonSchema({ type: 'object' }) },
        async () => {
            setTimeout(triggerListChanged, 50); // after this call's response
            return { content: [{ type: 'text', text: 'list changed' }] };
        }
    );
    return server;
}

modernHandler = createMcpHandler(factory, { legacy: 'reject', onerror: e => console.error('modern:', e.message) });

async function legacyFetch(request) {
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
        const held = legacySessions.get(sessionId);
        if (!held) {
            return Response.json({ jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } }, { status: 404 });
        }
        return held.transport.handleRequest(request);
    }
    const server = factory();
    const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: id => legacySessions.set(id, { transport, server }),
        onsessionclosed: id => legacySessions.delete(id)
    });
    await server.connect(transport);
    return transport.handleRequest(request);
}

async function route(request) {
    if (mode === 'modern-only') {
        return modernHandler.fetch(request);
    }
    const legacy = await isLegacyRequest(request.clone());
    return legacy ? legacyFetch(request) : modernHandler.fetch(request);
}

const httpServer = http.createServer(async (req, res) => {
    try {
        if (!req.url.startsWith('/mcp')) {
            res.writeHead(404).end();
            return;
        }
        const chunks = [];
        for await (const chunk of req) chunks.push(chunk);
        const body = Buffer.concat(chunks);
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
            headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const abort = new AbortController();
        res.on('close', () => abort.abort());
        const request = new Request(`http://127.0.0.1:${port}${req.url}`, {
            method: req.method,
            headers,
            body: ['GET', 'HEAD', 'DELETE'].includes(req.method) || body.length === 0 ? undefined : body,
            signal: abort.signal
        });
        const response = await route(request);
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (response.body) {
            res.flushHeaders();
            for await (const chunk of response.body) {
                res.write(chunk);
            }
        }
        res.end();
    } catch (e) {
        if (!res.headersSent) {
            res.writeHead(500, { 'content-type': 'text/plain' });
        }
        res.end(String(e?.message ?? e));
    }
});
httpServer.listen(port, '127.0.0.1', () => console.error(`v2-server listening on port ${port} (${mode})`));
for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
        modernHandler.close().finally(() => process.exit(0));
    });
}
