// End-to-end test of `aws-sandbox mcp --transport streamable-http` with the official MCP TypeScript SDK.
// Usage: node client-http.mjs JAVA JAR MOTO_ENDPOINT HOME  (exits non-zero on the first failed check)
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { spawn } from "node:child_process";
// the server's JVM flags: bin/aws-sandbox's (McpEndToEndIT passes them), with which clients start it
const serverJvm = (process.env.SERVER_JVM_FLAGS ?? "").split(" ").filter(Boolean);

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

// a server with a cap of 2 sessions that end after 10 idle seconds (3 was too short on a
// loaded machine: a session ended between its initialize and its initialized notification)
const limited = spawn(java, [...serverJvm, "--enable-native-access=ALL-UNNAMED", "-jar", jar, "mcp", "--transport", "streamable-http",
  "--port", "0"], {
  env: { PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: "us-east-1", AWS_MCP_SANDBOX: "required", AWS_MCP_MAX_SESSIONS: "2", AWS_MCP_SESSION_IDLE_TIMEOUT: "10" },
  stdio: ["ignore", "inherit", "pipe"],
});
servers.push(limited);
const limitedStarted = new Promise((resolve, reject) => {
  let seen = "";
  limited.stderr.on("data", (chunk) => {
    seen += chunk;
    const m = seen.match(/listening on (http:\/\/\S+\/mcp)/);
    if (m) resolve(m[1]);
  });
  setTimeout(() => reject(new Error(`server did not start: ${seen}`)), 60000).unref();
});
// and the server with defaults (the two start at the same time)
const server = spawn(java, [...serverJvm, "--enable-native-access=ALL-UNNAMED", "-jar", jar, "mcp", "--transport", "streamable-http",
  "--port", "0"], {
  env: { PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: "us-east-1", AWS_MCP_SANDBOX: "required", AWS_EC2_METADATA_DISABLED: "true",
    AWS_MCP_ALLOWED_ENDPOINTS: endpoint, AWS_MCP_REQUIRE_CONSENT: "true" },
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
const limitedUrl = await limitedStarted;

// the session cap first: session two is left idle while the rest of this test runs, then is found ended
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
const idleSince = Date.now();


const foreign = await fetch(url, { method: "POST", headers: { Origin: "https://evil.example", "Content-Type": "application/json" },
  body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} }) });
check(foreign.status === 403, "a foreign Origin is rejected", foreign.status);

// writes ask for consent (AWS_MCP_REQUIRE_CONSENT): the question and its answer travel over HTTP too
const consentAsked = [];
let consentAnswer = { action: "accept", content: { confirm: true } };
const client = new Client({ name: "aws-sandbox-e2e-http", version: "1.0.0" }, { capabilities: { elicitation: {} } });
client.setRequestHandler(ElicitRequestSchema, async (request) => {
  consentAsked.push(request.params.message);
  return consentAnswer;
});
const clientTransport = new StreamableHTTPClientTransport(new URL(url));
await client.connect(clientTransport);
const tools = await client.listTools();
check(tools.tools.length === 2, "lists the tools over HTTP", tools.tools.map((t) => t.name));
const resources = await client.listResources();
check(resources.resources.some((r) => r.uri === "aws://config/regions"), "lists resources over HTTP");

let r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command: `aws --endpoint-url ${endpoint} s3 mb s3://mcp-http-bucket` } });
check(!r.isError && consentAsked.length === 1 && /s3:mb/.test(consentAsked[0]), "aws s3 mb over HTTP, consented over HTTP",
  { r: text(r), consentAsked });
consentAnswer = { action: "decline" };
r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command: `aws --endpoint-url ${endpoint} s3 mb s3://mcp-http-declined` } });
check(r.isError && /did not consent/.test(text(r)) && consentAsked.length === 2, "consent declined over HTTP: not run", text(r));
// an answer to a question the server no longer waits for (one that timed out, answered late) is taken, not a 500
const late = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json",
  Accept: "application/json, text/event-stream", "Mcp-Session-Id": clientTransport.sessionId,
  "Mcp-Protocol-Version": "2025-06-18" },
  body: JSON.stringify({ jsonrpc: "2.0", id: "late-1", result: { action: "accept", content: { confirm: true } } }) });
check(late.status === 202, "a late consent answer is taken with 202", late.status);
// one call here: concurrent calls over HTTP, 5 at a time in each of 10 sessions, are client-load.mjs's (McpEndToEndIT's
// fiftyConcurrentCallsFromTenHttpClientsAreAllAnswered); this was 20 concurrent calls, 20 AWS CLI starts
r = await client.callTool({ name: "aws_cli_pipeline", arguments: {
  command: `aws --endpoint-url ${endpoint} s3api list-buckets | jq -r '.Buckets[].Name' | grep -c mcp-http-bucket` } });
check(!r.isError && r.content[0].text.trim() === "1", "a pipeline over HTTP", text(r));
r = await client.callTool({ name: "aws_cli_help", arguments: { service: "s3 | sh -c id" } });
check(r.isError, "the CVE-2026-5059 payload is refused over HTTP", text(r));

const env = JSON.parse((await client.readResource({ uri: "aws://config/environment" })).contents[0].text);
await client.close();
server.kill("SIGTERM");
await new Promise((resolve) => server.on("exit", resolve));
const { existsSync } = await import("node:fs");
check(!existsSync(env.workspace), "SIGTERM removes the server's private workspace", env.workspace);

// session two has been idle since before the work above: what is left of 12 s (its idle timeout is 10 s)
await new Promise((resolve) => setTimeout(resolve, Math.max(0, 12000 - (Date.now() - idleSince))));
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
