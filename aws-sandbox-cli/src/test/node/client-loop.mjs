// The stdio loop never wedges (issue 12, item 4), driven byte by byte as a broken client would:
// malformed JSON, an oversized line, unknown methods and invalid params each get a JSON-RPC error
// and the server keeps answering; then, with a call still running, stdin closes and the server
// exits, killing the call's command.
// Usage: node client-loop.mjs JAVA JAR MOTO_ENDPOINT HOME  (exits non-zero on the first failed check)
import { spawn } from "node:child_process";
import net from "node:net";
// the server's JVM flags: bin/aws-sandbox's (McpEndToEndIT passes them), with which clients start it
const serverJvm = (process.env.SERVER_JVM_FLAGS ?? "").split(" ").filter(Boolean);

const [java, jar, , home] = process.argv.slice(2);
let checks = 0;
function check(condition, what, detail) {
  if (!condition) {
    console.error(`FAILED: ${what}${detail === undefined ? "" : ": " + JSON.stringify(detail).slice(0, 2000)}`);
    process.exit(1);
  }
  checks++;
  console.log(`ok ${what}`);
}
process.on("unhandledRejection", (e) => {
  console.error("FAILED: unexpected error:", e);
  process.exit(1);
});

// an endpoint that accepts and never answers: the AWS CLI (read timeout 0: none) waits on it forever
const silentSockets = [];
const silent = net.createServer((s) => {
  silentSockets.push(s);
  s.on("error", () => {});
  s.resume(); // read (and drop) the request: a paused socket never reports that its peer closed
}).listen(0, "127.0.0.1");
await new Promise((resolve) => silent.on("listening", resolve));
const silentUrl = `http://127.0.0.1:${silent.address().port}`;

const server = spawn(java, [...serverJvm, "--enable-native-access=ALL-UNNAMED", "-jar", jar, "mcp"], {
  env: { PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: "us-east-1", AWS_MCP_SANDBOX: "required", AWS_EC2_METADATA_DISABLED: "true",
    AWS_MCP_ALLOWED_ENDPOINTS: silentUrl },
  stdio: ["pipe", "pipe", "inherit"],
});
process.on("exit", () => server.kill("SIGKILL"));
let exited = null;
const exit = new Promise((resolve) => server.on("exit", (code, signal) => { exited = { code, signal }; resolve(exited); }));

const answers = new Map(); // id (or "null#n") -> message
let nullIds = 0;
const waiters = [];
let buffer = "";
server.stdout.on("data", (chunk) => {
  buffer += chunk;
  let nl;
  while ((nl = buffer.indexOf("\n")) >= 0) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    if (!line.trim()) continue;
    const message = JSON.parse(line); // the server writes only JSON-RPC, one message per line
    if (message.id === undefined) continue; // a notification
    answers.set(message.id === null ? `null#${++nullIds}` : message.id, message);
    waiters.splice(0).forEach((w) => w());
  }
});
async function answer(id) {
  const deadline = Date.now() + 300000;
  while (!answers.has(id)) {
    if (exited) throw new Error(`the server exited (${JSON.stringify(exited)}) before answering ${id}`);
    if (Date.now() > deadline) throw new Error(`no answer to ${id}`);
    await new Promise((resolve) => { waiters.push(resolve); setTimeout(resolve, 1000); });
  }
  return answers.get(id);
}
const send = (text) => new Promise((resolve) => server.stdin.write(text, resolve));
const request = (id, method, params) => send(JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }) + "\n");

await request(1, "initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "loop", version: "1" } });
check((await answer(1)).result?.serverInfo?.name === "aws-sandbox", "initialize is answered", answers.get(1));
await send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n");

await send("this is not JSON {\n");
check((await answer("null#1")).error?.code === -32700, "a malformed line gets -32700 (parse error)", answers.get("null#1"));
await request(2, "ping");
check((await answer(2)).result !== undefined, "the server still answers after a malformed line");

await request(3, "no/such/method", {});
check((await answer(3)).error?.code === -32601, "an unknown method gets -32601 (method not found)", answers.get(3));

await request(4, "tools/call", 5);
check((await answer(4)).error !== undefined, "tools/call with params that are not an object gets a JSON-RPC error",
  answers.get(4));
await request(5, "prompts/get", { name: "security_audit", arguments: {} });
check((await answer(5)).error?.code === -32602 && /service/.test(answers.get(5).error.message),
  "prompts/get without a required argument gets -32602 naming it", answers.get(5));
await request(6, "prompts/get", { name: "no_such_prompt" });
check((await answer(6)).error !== undefined, "an unknown prompt gets a JSON-RPC error", answers.get(6));
await request(7, "tools/call", { name: "aws_cli_pipeline", arguments: { command: "aws s3 ls", timeout: "soon" } });
const bad = await answer(7);
check(bad.result?.isError === true && /whole number of seconds/.test(bad.result.content[0].text),
  "a tool argument of the wrong type is an error result that says what is expected", bad);

// an oversized line (16 MiB + 1 byte, the limit) is skipped whole; the next line is read
await send("x".repeat(16 * 1024 * 1024 + 1) + "\n");
check((await answer("null#2")).error?.code === -32600 && /longer than/.test(answers.get("null#2").error.message),
  "an oversized line gets -32600 and is skipped", answers.get("null#2"));
await request(8, "ping");
check((await answer(8)).result !== undefined, "the server still answers after an oversized line");

// a duplicate id while the first call runs, then EOF with that call running
await request(9, "tools/call", { name: "aws_cli_pipeline", arguments: {
  command: `aws --endpoint-url ${silentUrl} --cli-read-timeout 0 s3 ls`, timeout: 1800 } });
while (silentSockets.length === 0) {
  if (exited) throw new Error("server exited");
  await new Promise((resolve) => setTimeout(resolve, 200));
}
check(true, "the long call's AWS CLI has connected");
await request(9, "ping");
check((await answer(9)).error?.code === -32600 && /already in use/.test(answers.get(9).error.message),
  "a request id already in use is refused", answers.get(9));
answers.delete(9);

const connection = silentSockets[0];
const connectionClosed = new Promise((resolve) => connection.on("close", resolve));
server.stdin.end();
const guard = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(what)), ms).unref());
const ended = await Promise.race([exit, guard(120000, "the server did not exit within 120 s of EOF (the call's timeout is 1800 s)")]);
check(ended.code === 0, "the server exits (status 0) when stdin closes with a call running", ended);
await Promise.race([connectionClosed, guard(60000, "the call's AWS CLI still holds its connection after the server exited")]);
check(true, "the running call's AWS CLI was killed (its connection closed)");
silent.close();
console.log(`${checks} passed, 0 failed`);
process.exit(0);
