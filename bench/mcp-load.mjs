// The MCP client side of McpLoadBench: CLIENTS sessions of the official MCP TypeScript SDK
// (vendored for the end-to-end tests in aws-sandbox-cli/src/test/node) over streamable HTTP, each
// making CALLS aws_cli_pipeline calls one after another, all clients at once.
// Usage: node mcp-load.mjs URL CLIENTS CALLS EXPECTED COMMAND
// Prints one line per call, "ok MS" or "err MS DETAIL", then "wall MS" (first call to last answer).
const sdk = new URL("../aws-sandbox-cli/src/test/node/node_modules/@modelcontextprotocol/sdk/dist/esm/", import.meta.url);
const { Client } = await import(new URL("client/index.js", sdk));
const { StreamableHTTPClientTransport } = await import(new URL("client/streamableHttp.js", sdk));

const [url, clientCount, callCount, expected, command] = process.argv.slice(2);
const clients = [];
for (let i = 0; i < Number(clientCount); i++) {
  const client = new Client({ name: `aws-sandbox-load-bench-${i}`, version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  clients.push(client);
}
const lines = [];
async function session(client) {
  for (let i = 0; i < Number(callCount); i++) {
    const t0 = performance.now();
    let line;
    try {
      const r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command } }, undefined, { timeout: 600000 });
      // the first content item is the command's output (a note on the operation follows it)
      const text = r.content[0]?.text?.trim() ?? "";
      line = !r.isError && text === expected ? "ok"
        : `err ${(performance.now() - t0).toFixed(1)} ${JSON.stringify(r.content.map((c) => c.text).join(" / ").slice(0, 200))}`;
    } catch (e) {
      line = `err ${(performance.now() - t0).toFixed(1)} ${JSON.stringify(String(e.message).slice(0, 200))}`;
    }
    lines.push(line.startsWith("ok") ? `ok ${(performance.now() - t0).toFixed(1)}` : line);
  }
}
const start = performance.now();
await Promise.all(clients.map(session));
const wall = performance.now() - start;
for (const c of clients) await c.close();
console.log(lines.join("\n"));
console.log(`wall ${wall.toFixed(1)}`);
process.exit(0);
