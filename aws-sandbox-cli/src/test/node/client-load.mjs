// Load test of `aws-sandbox mcp` with the official MCP TypeScript SDK (issue 14, item 3: the stdio
// server went deaf with 50 calls in flight and outlived its client).
// Usage: node client-load.mjs stdio|http JAVA JAR MOTO_ENDPOINT HOME  (exits non-zero on the first failed check)
//
// Checks: 50 concurrent aws_cli_pipeline calls from one stdio client, or from 50 HTTP clients (a
// session each, one call each, then 5 calls each from 10 of them), are all answered (none times out); the server answers a call afterwards; its thread count
// comes back near the baseline; over stdio, the server exits promptly when its client closes stdin
// with 50 calls still running. Every answer must be correct (the core's concurrency bug of issue 14,
// item 1, is fixed: no failure is tolerated).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
// the server's JVM flags: bin/aws-sandbox's (McpEndToEndIT passes them), with which clients start it
const serverJvm = (process.env.SERVER_JVM_FLAGS ?? "").split(" ").filter(Boolean);

const [mode, java, jar, endpoint, home] = process.argv.slice(2);
const CALLS = 50;
let checks = 0;
let server;
process.on("exit", () => server?.kill("SIGKILL")); // a server left behind keeps the test's output pipe open
function check(condition, what, detail) {
  if (!condition) {
    console.error(`FAILED: ${what}${detail === undefined ? "" : ": " + JSON.stringify(detail)}`);
    if (server) server.kill("SIGKILL");
    process.exit(1);
  }
  checks++;
  console.log(`ok ${what}`);
}
const text = (result) => result.content.map((c) => c.text).join("\n");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const threads = (pid) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/^Threads:\s+(\d+)/m)[1]);
// thread names (what is left over, when the count check fails)
const threadNames = (pid) => {
  const names = {};
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    const n = readFileSync(`/proc/${pid}/task/${t}/comm`, "utf8").trim().replace(/\d+/g, "N");
    names[n] = (names[n] ?? 0) + 1;
  }
  return names;
};
const env = {
  PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing",
  AWS_REGION: "us-east-1", AWS_MCP_SANDBOX: "required", AWS_EC2_METADATA_DISABLED: "true",
  AWS_MCP_ALLOWED_ENDPOINTS: endpoint,
};
// moto is shared with other tests: this client's own bucket, one per mode (both modes ran beside each other)
const bucket = `load-${mode}`;
const command = `aws --endpoint-url ${endpoint} s3api list-buckets | jq '[.Buckets[] | select(.Name == "${bucket}")] | length'`;

async function call(client) {
  const started = Date.now();
  try {
    const r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command } }, undefined, { timeout: 180000 });
    return r.isError ? { ok: false, detail: text(r) } : { ok: true, value: r.content[0].text.trim() };
  } catch (e) {
    // undici's "fetch failed" says nothing by itself: its cause (code, message) and when it came do
    const cause = e.cause ? ` (cause: ${e.cause.code ?? e.cause.name}: ${e.cause.message})` : "";
    return { ok: false, detail: `${e.message}${cause} after ${((Date.now() - started) / 1000).toFixed(1)} s`, thrown: true };
  }
}

function judge(results, what) {
  const timedOut = results.filter((r) => r.thrown && /timed out/i.test(r.detail));
  check(timedOut.length === 0, `${what}: every call is answered (none times out)`, timedOut.length);
  const wrong = results.filter((r) => !(r.ok && r.value === "1"));
  check(wrong.length === 0, `${what}: all ${results.length} answers are correct`,
    wrong.slice(0, 3).map((r) => r.detail ?? r.value));
}

async function settle(pid, baseline) {
  // idle virtual-thread carriers and pool threads retire within about a minute
  let now = threads(pid);
  for (let i = 0; i < Number(process.env.SETTLE ?? 90) && now > baseline + 8; i++) {
    await sleep(1000);
    now = threads(pid);
  }
  return now;
}

if (mode === "stdio") {
  const transport = new StdioClientTransport({ command: java, args: [...serverJvm, "--enable-native-access=ALL-UNNAMED", "-jar", jar, "mcp"],
    env, stderr: "inherit" });
  const client = new Client({ name: "aws-sandbox-load", version: "1.0.0" });
  await client.connect(transport);
  let r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command: `aws --endpoint-url ${endpoint} s3 mb s3://${bucket}` } });
  check(!r.isError, "s3 mb", text(r));
  const pid = transport.pid;
  const baseline = threads(pid);

  const results = await Promise.all(Array.from({ length: CALLS }, () => call(client)));
  judge(results, `${CALLS} concurrent calls from one stdio client`);
  r = await call(client);
  check(r.ok && r.value === "1", "the stdio server still answers afterwards", r);
  const after = await settle(pid, baseline);
  console.log(`threads: baseline ${baseline}, after ${after}`, JSON.stringify(threadNames(mode === "stdio" ? pid : server.pid)));
  check(after <= baseline + 8, "server threads come back near the baseline", { baseline, after, names: threadNames(pid) });

  // the client goes away with 50 calls running: the server must stop them and exit
  const abandoned = Array.from({ length: CALLS }, () => call(client));
  await sleep(1500);
  const started = Date.now();
  await client.close();
  await Promise.allSettled(abandoned);
  let alive = true;
  for (let i = 0; i < 300 && alive; i++) {
    try { process.kill(pid, 0); await sleep(100); } catch { alive = false; }
  }
  check(!alive, "the server exits when its client closes stdin with 50 calls running", Date.now() - started);
} else {
  server = spawn(java, [...serverJvm, "--enable-native-access=ALL-UNNAMED", "-jar", jar, "mcp", "--transport", "streamable-http", "--port", "0"],
    { env, stdio: ["ignore", "inherit", "pipe"] });
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
  const clients = [];
  for (let i = 0; i < CALLS; i++) {
    const c = new Client({ name: `aws-sandbox-load-${i}`, version: "1.0.0" });
    await c.connect(new StreamableHTTPClientTransport(new URL(url)));
    clients.push(c);
  }
  let r = await clients[0].callTool({ name: "aws_cli_pipeline", arguments: { command: `aws --endpoint-url ${endpoint} s3 mb s3://${bucket}` } });
  check(!r.isError, "s3 mb over HTTP", text(r));
  const baseline = threads(server.pid);
  console.log("baseline threads", JSON.stringify(threadNames(server.pid)));
  let results = await Promise.all(clients.map((c) => call(c)));
  judge(results, `${CALLS} concurrent calls from ${clients.length} HTTP clients`);
  const few = clients.slice(0, 10);
  results = await Promise.all(few.flatMap((c) => Array.from({ length: CALLS / few.length }, () => call(c))));
  judge(results, `${CALLS} concurrent calls from ${few.length} HTTP clients`);
  r = await call(clients[3]);
  check(r.ok && r.value === "1", "the HTTP server still answers afterwards", r);
  const after = await settle(server.pid, baseline);
  console.log(`threads: baseline ${baseline}, after ${after}`, JSON.stringify(threadNames(mode === "stdio" ? pid : server.pid)));
  check(after <= baseline + 8, "server threads come back near the baseline", { baseline, after, names: threadNames(server.pid) });
  for (const c of clients) await c.close();
  server.kill("SIGTERM");
}
console.log(`${checks} passed, 0 failed`);
process.exit(0);
