// End-to-end test of `aws-sandbox mcp --transport streamable-http` with the official MCP TypeScript SDK.
// Usage: node client-http.mjs JAVA JAR MOTO_ENDPOINT HOME  (exits non-zero on the first failed check)
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { spawn } from "node:child_process";

const [java, jar, endpoint, home] = process.argv.slice(2);
let checks = 0;
// every server this client starts dies with it, however it ends: a server left behind keeps the
// test's output pipe open, and the test waited for it forever
const servers = [];
process.on("exit", () => servers.forEach((s) => s.kill("SIGKILL")));
process.on("unhandledRejection", (e) => {
  console.error("FAILED: unexpected error:", e);
  process.exit(1);
});
function check(condition, what, detail) {
  if (!condition) {
    console.error(`FAILED: ${what}${detail === undefined ? "" : ": " + JSON.stringify(detail)}`);
    process.exit(1);
  }
  checks++;
  console.log(`ok ${what}`);
}
const text = (result) => result.content.map((c) => c.text).join("\n");

const server = spawn(java, ["--enable-native-access=ALL-UNNAMED", "-jar", jar, "mcp", "--transport", "streamable-http",
  "--port", "0"], {
  env: { PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: "us-east-1", AWS_MCP_SANDBOX: "required", AWS_EC2_METADATA_DISABLED: "true",
    AWS_MCP_ALLOWED_ENDPOINTS: endpoint },
  stdio: ["ignore", "inherit", "pipe"],
});
servers.push(server);
const url = await new Promise((resolve, reject) => {
  let seen = "";
  server.stderr.on("data", (chunk) => {
    seen += chunk;
    process.stderr.write(chunk);
    const m = seen.match(/listening on (http:\/\/\S+\/mcp)/);
    if (m) resolve(m[1]);
  });
  server.on("exit", (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
  setTimeout(() => reject(new Error(`server did not start: ${seen}`)), 60000);
});
check(url.startsWith("http://127.0.0.1:"), "binds to loopback by default", url);

const foreign = await fetch(url, { method: "POST", headers: { Origin: "https://evil.example", "Content-Type": "application/json" },
  body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} }) });
check(foreign.status === 403, "a foreign Origin is rejected", foreign.status);

const client = new Client({ name: "aws-sandbox-e2e-http", version: "1.0.0" });
await client.connect(new StreamableHTTPClientTransport(new URL(url)));
const tools = await client.listTools();
check(tools.tools.length === 2, "lists the tools over HTTP", tools.tools.map((t) => t.name));
const resources = await client.listResources();
check(resources.resources.some((r) => r.uri === "aws://config/regions"), "lists resources over HTTP");

let r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command: `aws --endpoint-url ${endpoint} s3 mb s3://mcp-http-bucket` } });
check(!r.isError, "aws s3 mb over HTTP", text(r));
const calls = [];
for (let i = 0; i < 20; i++) {
  calls.push(client.callTool({ name: "aws_cli_pipeline", arguments: {
    command: `aws --endpoint-url ${endpoint} s3api list-buckets | jq -r '.Buckets[].Name' | grep -c mcp-http-bucket` } }));
}
const results = await Promise.all(calls);
check(results.every((x) => !x.isError && x.content[0].text.trim() === "1"), "20 concurrent calls all succeed",
  results.map((x) => text(x)).slice(0, 3));
r = await client.callTool({ name: "aws_cli_help", arguments: { service: "s3 | sh -c id" } });
check(r.isError, "the CVE-2026-5059 payload is refused over HTTP", text(r));

const env = JSON.parse((await client.readResource({ uri: "aws://config/environment" })).contents[0].text);
await client.close();
server.kill("SIGTERM");
await new Promise((resolve) => server.on("exit", resolve));
const { existsSync } = await import("node:fs");
check(!existsSync(env.workspace), "SIGTERM removes the server's private workspace", env.workspace);

// a second server with a cap of 2 sessions that end after 10 idle seconds (3 was too short on a
// loaded machine: a session ended between its initialize and its initialized notification)
const limited = spawn(java, ["--enable-native-access=ALL-UNNAMED", "-jar", jar, "mcp", "--transport", "streamable-http",
  "--port", "0"], {
  env: { PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: "us-east-1", AWS_MCP_SANDBOX: "required", AWS_MCP_MAX_SESSIONS: "2", AWS_MCP_SESSION_IDLE_TIMEOUT: "10" },
  stdio: ["ignore", "inherit", "pipe"],
});
servers.push(limited);
const limitedUrl = await new Promise((resolve, reject) => {
  let seen = "";
  limited.stderr.on("data", (chunk) => {
    seen += chunk;
    const m = seen.match(/listening on (http:\/\/\S+\/mcp)/);
    if (m) resolve(m[1]);
  });
  setTimeout(() => reject(new Error(`server did not start: ${seen}`)), 60000);
});
const open = async () => {
  const c = new Client({ name: "aws-sandbox-e2e-sessions", version: "1.0.0" });
  const t = new StreamableHTTPClientTransport(new URL(limitedUrl));
  await c.connect(t);
  return { c, t };
};
const one = await open();
const two = await open();
let third = null;
try {
  await open();
} catch (e) {
  third = e;
}
check(third !== null && /too many MCP sessions/.test(String(third.message)), "a session beyond the cap gets a clear error",
  String(third?.message));
await one.t.terminateSession();
await one.c.close();
const again = await open();
check((await again.c.listTools()).tools.length === 2, "a closed session frees its place");
await new Promise((resolve) => setTimeout(resolve, 12000));
let idle = null;
try {
  await two.c.listTools();
} catch (e) {
  idle = e;
}
check(idle !== null && /has ended/.test(String(idle.message)), "an idle session ends with a clear error", String(idle?.message));
limited.kill("SIGTERM");
console.log(`${checks} passed, 0 failed`);
process.exit(0);
