// The HTTP transports of issue 12, item 6, through the official TypeScript SDK client against moto:
// two stateless streamable-HTTP replicas behind a round-robin proxy that forwards a public Host name
// (AWS_MCP_ALLOWED_HOSTS), one configured by AWS_MCP_HOST/AWS_MCP_PORT/AWS_MCP_STATELESS and one by
// flags; the same proxy in front of two servers with sessions fails (the negative control); the
// health endpoint; the legacy SSE transport; the README's HTTP deployment recipe, as written there.
// Usage: node client-transports.mjs JAVA JAR MOTO_ENDPOINT HOME  (exits non-zero on the first failed check)
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
// the server's JVM flags: bin/aws-sandbox's (McpEndToEndIT passes them), with which clients start it
const serverJvm = (process.env.SERVER_JVM_FLAGS ?? "").split(" ").filter(Boolean);

const [java, jar, endpoint, home] = process.argv.slice(2);
let checks = 0;
const servers = [];
process.on("exit", () => servers.forEach((s) => s.kill("SIGKILL")));
process.on("unhandledRejection", (e) => {
  console.error("FAILED: unexpected error:", e);
  process.exit(1);
});
function check(condition, what, detail) {
  if (!condition) {
    console.error(`FAILED: ${what}${detail === undefined ? "" : ": " + JSON.stringify(detail).slice(0, 3000)}`);
    process.exit(1);
  }
  checks++;
  console.log(`ok ${what}`);
}
const text = (r) => r.content.map((c) => c.text).join("\n");
const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
});
const PUBLIC_HOST = "mcp.example.test";
// an endpoint that accepts and never answers (with --cli-read-timeout 0 the AWS CLI waits for ever)
const silentSockets = [];
const silent = net.createServer((s) => { silentSockets.push(s); s.on("error", () => {}); s.resume(); }).listen(0, "127.0.0.1");
await new Promise((resolve) => silent.on("listening", resolve));
const silentUrl = `http://127.0.0.1:${silent.address().port}`;
const baseEnv = { PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing",
  AWS_REGION: "us-east-1", AWS_MCP_SANDBOX: "required", AWS_EC2_METADATA_DISABLED: "true", AWS_MCP_ALLOWED_ENDPOINTS: endpoint };

/** Starts `aws-sandbox mcp ARGS` and resolves with the URL it prints. */
function start(args, env) {
  const server = spawn(java, [...serverJvm, "--enable-native-access=ALL-UNNAMED", "-jar", jar, "mcp", ...args], {
    env: { ...baseEnv, ...env }, stdio: ["ignore", "inherit", "pipe"] });
  servers.push(server);
  return new Promise((resolve, reject) => {
    let seen = "";
    server.stderr.on("data", (chunk) => {
      seen += chunk;
      const m = seen.match(/listening on (http:\/\/\S+)/);
      if (m) resolve({ server, url: m[1], port: Number(new URL(m[1]).port) });
    });
    server.on("exit", (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
    setTimeout(() => reject(new Error(`server did not start: ${seen}`)), 120000).unref();
  });
}

/** A round-robin proxy: request n goes to upstream n mod 2, with the public Host name; it records who served what. */
function proxy(upstreams, publicHost = PUBLIC_HOST) {
  const served = [];
  let next = 0;
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const index = next++ % upstreams.length;
      let method = req.method;
      try { method = JSON.parse(body.toString()).method ?? "response"; } catch { /* a GET */ }
      served.push({ index, method });
      const up = http.request({ host: "127.0.0.1", port: upstreams[index], path: req.url, method: req.method,
        headers: { ...req.headers, host: publicHost } }, (upRes) => {
        res.writeHead(upRes.statusCode, upRes.headers);
        upRes.pipe(res);
      });
      up.on("error", (e) => { res.writeHead(502); res.end(String(e)); });
      up.end(body);
    });
  }).listen(0, "127.0.0.1");
  return new Promise((resolve) => srv.on("listening", () => resolve({ srv, served, port: srv.address().port })));
}

// ---- two stateless replicas: one from the environment, one from flags
const envPort = await freePort();
const a = await start(["--transport", "streamable-http"], { AWS_MCP_HOST: "127.0.0.1", AWS_MCP_PORT: String(envPort),
  AWS_MCP_STATELESS: "true", AWS_MCP_ALLOWED_HOSTS: PUBLIC_HOST });
check(a.port === envPort && a.url === `http://127.0.0.1:${envPort}/mcp`, "AWS_MCP_HOST and AWS_MCP_PORT choose the address", a.url);
const b = await start(["--transport", "streamable-http", "--stateless", "--port", "0"], { AWS_MCP_ALLOWED_HOSTS: PUBLIC_HOST });

/** A raw HTTP request with exactly these headers (fetch will not send a Host of our choosing). */
const raw = (port, method, path, headers, body = "") => new Promise((resolve, reject) => {
  const req = http.request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
    let data = "";
    res.on("data", (c) => { data += c; });
    res.on("end", () => resolve({ status: res.statusCode, body: data }));
  });
  req.on("error", reject);
  req.end(body);
});
const health = await raw(a.port, "GET", "/health", { Host: "10.0.0.9:8000" });
const healthBody = JSON.parse(health.body);
check(health.status === 200 && healthBody.status === "ok" && healthBody.transport === "stateless",
  "GET /health answers 200 {status: ok} (no token or Host needed)", health);
const mcpHeaders = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
const ping = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });
const foreign = await raw(a.port, "POST", "/mcp", { Host: "evil.example:80", ...mcpHeaders }, ping);
check(foreign.status === 403 && /AWS_MCP_ALLOWED_HOSTS/.test(foreign.body), "a Host outside AWS_MCP_ALLOWED_HOSTS is refused (403)",
  foreign);
const named = await raw(a.port, "POST", "/mcp", { Host: PUBLIC_HOST, ...mcpHeaders }, ping);
check(named.status === 200, "the name in AWS_MCP_ALLOWED_HOSTS is served", named);

const lb = await proxy([a.port, b.port]);
const client = new Client({ name: "aws-sandbox-replicas", version: "1.0.0" });
await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${lb.port}/mcp`)));
check((await client.listTools()).tools.length === 2, "listTools through the load balancer");
let r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command: `aws --endpoint-url ${endpoint} s3 mb s3://replicas` } });
check(!r.isError, "s3 mb through the load balancer", text(r));
// calls until each replica has answered one (the proxy alternates, so two or three; at most 6, as before)
const servedCall = (index) => lb.served.some((s) => s.method === "tools/call" && s.index === index);
for (let i = 0; i < 6 && !(i >= 2 && servedCall(0) && servedCall(1)); i++) {
  r = await client.callTool({ name: "aws_cli_pipeline", arguments: {
    command: `aws --endpoint-url ${endpoint} s3api list-buckets --query 'Buckets[].Name' --output text` } });
  check(!r.isError && /replicas/.test(text(r)), `call ${i + 1} through the load balancer`, text(r));
}
const regions = JSON.parse((await client.readResource({ uri: "aws://config/regions" })).contents[0].text);
check(regions.regions.length >= 30, "a resource through the load balancer");
const prompt = await client.getPrompt({ name: "security_audit", arguments: { service: "s3" } });
check(/s3/.test(prompt.messages[0].content.text), "a prompt through the load balancer");
const calls = lb.served.filter((s) => s.method === "tools/call");
check(calls.some((s) => s.index === 0) && calls.some((s) => s.index === 1)
  && ["initialize", "tools/list", "tools/call", "resources/read", "prompts/get"].every((m) => lb.served.some((s) => s.method === m)),
  "the calls alternated between the two replicas, without sticky sessions", lb.served);
await client.close();
lb.srv.close();

// ---- the negative control: servers with sessions behind the same proxy do not work
const c = await start(["--transport", "streamable-http", "--port", "0"], { AWS_MCP_ALLOWED_HOSTS: PUBLIC_HOST,
  AWS_MCP_ALLOWED_ENDPOINTS: `${endpoint},${silentUrl}` });
const d = await start(["--transport", "streamable-http", "--port", "0"], { AWS_MCP_ALLOWED_HOSTS: PUBLIC_HOST });
const sticky = await proxy([c.port, d.port]);
let failed = null;
try {
  const s = new Client({ name: "aws-sandbox-sessions", version: "1.0.0" });
  await s.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${sticky.port}/mcp`)));
  await s.listTools();
  await s.listTools();
} catch (e) {
  failed = e;
}
check(failed !== null, "the control: replicas with sessions fail behind the round-robin proxy", String(failed));
sticky.srv.close();

// ---- cancellation over streamable HTTP: the AbortSignal's notifications/cancelled kills the command
const direct = new Client({ name: "aws-sandbox-cancel-http", version: "1.0.0" });
await direct.connect(new StreamableHTTPClientTransport(new URL(c.url)));
const controller = new AbortController();
const pending = direct.callTool({ name: "aws_cli_pipeline", arguments: {
  command: `aws --endpoint-url ${silentUrl} --cli-read-timeout 0 s3 ls`, timeout: 1800 } }, undefined,
  { signal: controller.signal, timeout: 600000 });
while (silentSockets.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
const closed = new Promise((resolve) => silentSockets[0].on("close", resolve));
controller.abort("stop");
await pending.catch(() => {});
await Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error(
  "the cancelled call's AWS CLI still holds its connection after 300 s (its timeout is 1800 s)")), 300000).unref())]);
check(true, "notifications/cancelled over streamable HTTP kills the call's AWS CLI");
r = await direct.callTool({ name: "aws_cli_pipeline", arguments: { command: `aws --endpoint-url ${endpoint} s3 ls` } });
check(!r.isError && /replicas/.test(text(r)), "the session still answers after a cancellation", text(r));
await direct.close();
silent.close();

// ---- the legacy SSE transport
const sse = await start(["--transport", "sse", "--port", "0"], {});
check(/\/sse$/.test(sse.url), "sse listens at /sse", sse.url);
const old = new Client({ name: "aws-sandbox-sse", version: "1.0.0" });
await old.connect(new SSEClientTransport(new URL(sse.url)));
check((await old.listTools()).tools.length === 2, "listTools over SSE");
r = await old.callTool({ name: "aws_cli_pipeline", arguments: { command: `aws --endpoint-url ${endpoint} s3 ls` } });
check(!r.isError && /replicas/.test(text(r)), "a call over SSE", text(r));
const ssePrompts = await old.listPrompts();
check(ssePrompts.prompts.length >= 17, "prompts over SSE");
await old.close();
const sseHealth = await fetch(`http://127.0.0.1:${sse.port}/health`);
check(sseHealth.status === 200 && (await sseHealth.json()).transport === "sse", "the SSE server's health endpoint");

// ---- docs/mcp.md's HTTP deployment recipe, as written there: its variables and command, with a test token,
//      a free port and a log file in HOME; behind a proxy that serves the recipe's public name
const readme = readFileSync(new URL("../../../../docs/mcp.md", import.meta.url), "utf8");
let recipe = readme.slice(readme.indexOf("HTTP deployment (")).split("```")[1].replace(/\\\n/g, " ").trim();
const recipeEnv = {};
for (let m; (m = recipe.match(/^(\w+)=(\$\([^)]*\)|\S+)\s+/)); recipe = recipe.slice(m[0].length)) recipeEnv[m[1]] = m[2];
const [command, ...recipeArgs] = recipe.split(/\s+/);
check(command === "/opt/aws-sandbox/bin/aws-sandbox" && recipeArgs[0] === "mcp" && recipeEnv.AWS_MCP_STATELESS === "true"
  && recipeEnv.AWS_MCP_HOST === "0.0.0.0" && recipeEnv.AWS_MCP_ALLOWED_HOSTS && recipeEnv.AWS_MCP_AUTH_TOKEN,
  "the README's recipe: a stateless server on 0.0.0.0 with a token and an allowed host", { recipeEnv, command, recipeArgs });
const token = "recipe-token-0123456789";
const recipeLog = `${home}/recipe-audit.jsonl`;
const deployed = await start(recipeArgs.slice(1), { ...recipeEnv, AWS_MCP_AUTH_TOKEN: token,
  AWS_MCP_PORT: String(await freePort()), AWS_MCP_AUDIT_LOG: recipeLog });
const publicName = recipeEnv.AWS_MCP_ALLOWED_HOSTS;
const front = await proxy([deployed.port], publicName);
const frontHealth = await raw(front.port, "GET", "/health", {});
check(frontHealth.status === 200 && JSON.parse(frontHealth.body).transport === "stateless",
  "recipe: the load balancer's health check gets 200 without a token", frontHealth);
const noToken = await raw(front.port, "POST", "/mcp", { ...mcpHeaders }, ping);
check(noToken.status === 401, "recipe: a request without the token is refused (401)", noToken);
const teamClient = new Client({ name: "aws-sandbox-recipe", version: "1.0.0" });
await teamClient.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${front.port}/mcp`),
  { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
r = await teamClient.callTool({ name: "aws_cli_pipeline", arguments: { command: `aws --endpoint-url ${endpoint} s3 ls` } });
check(!r.isError && /replicas/.test(text(r)) && r.structuredContent.backend !== "none",
  "recipe: a call with the token through the public name runs sandboxed", r.structuredContent);
await teamClient.close();
front.srv.close();
check(existsSync(recipeLog) && readFileSync(recipeLog, "utf8").includes('"decision":"allowed"'),
  "recipe: the call is in the audit log");

console.log(`${checks} passed, 0 failed`);
process.exit(0);
