#!/usr/bin/env node
// A canned MCP server for bench/stdio: answers initialize, ping and tools/call at once with fixed
// results, over stdio (`node canned-server.js stdio`, one client) or Streamable HTTP
// (`node canned-server.js http PORT`, JSON answers, a session id per initialize). The same code
// behind both transports, so the relay's stdio and HTTP rows differ only in the transport.
'use strict';
const RESULT = { content: [{ type: 'text', text: 'canned result' }] };
const INIT = { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'canned', version: '1' } };

function answer(message) {
  if (message.id === undefined || message.method === undefined) return null; // notification or response
  const result = message.method === 'initialize' ? INIT : message.method === 'tools/call' ? RESULT : {};
  return JSON.stringify({ jsonrpc: '2.0', id: message.id, result });
}

if (process.argv[2] === 'http') {
  const http = require('http');
  let sessions = 0;
  http.createServer((req, res) => {
    if (req.method === 'DELETE') { res.writeHead(200); res.end(); return; }
    // the relay's health probe GETs the endpoint: no standalone stream here (any status below 500 is healthy)
    if (req.method !== 'POST') { res.writeHead(405, { allow: 'POST, DELETE' }); res.end(); return; }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let message;
      try { message = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch (e) { res.writeHead(400); res.end(); return; }
      const body = answer(message);
      const headers = { 'mcp-session-id': req.headers['mcp-session-id'] || 'canned-' + (++sessions) };
      if (body === null) { res.writeHead(202, headers); res.end(); return; }
      headers['content-type'] = 'application/json';
      res.writeHead(200, headers);
      res.end(body);
    });
  }).listen(Number(process.argv[3]), '127.0.0.1');
} else {
  const readline = require('readline');
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    const body = answer(JSON.parse(line));
    if (body !== null) process.stdout.write(body + '\n');
  });
  lines.on('close', () => process.exit(0));
}
