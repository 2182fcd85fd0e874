// Issue 12 through the official TypeScript SDK client over stdio, against real moto_servers: the
// output (outputSchema and structuredContent, checked by the client itself; help without escapes,
// three-level help; the timeout message; numeric strings; error hints against moto's real errors),
// cancellation (AbortSignal kills the command), progress and log notifications, the prompts, the
// instructions, the default region, the resources and the audit log.
// Usage: node client-dropin.mjs JAVA JAR MOTO_ENDPOINT HOME  (exits non-zero on the first failed check)
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
// the server's JVM flags: bin/aws-sandbox's (McpEndToEndIT passes them), with which clients start it
const serverJvm = (process.env.SERVER_JVM_FLAGS ?? "").split(" ").filter(Boolean);

const [java, jar, endpoint, home] = process.argv.slice(2);
let checks = 0;
const children = [];
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));
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
const out = (r) => r.content[0].text;

// a second moto_server that checks signatures: its first two requests need none (they create a user and a key).
// Port 0: it binds a free port itself and says which (a port probed here could be taken in between)
const authMoto = spawn("moto_server", ["-H", "127.0.0.1", "-p", "0"], {
  env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: "2", PYTHONUNBUFFERED: "1" }, stdio: ["ignore", "pipe", "pipe"] });
children.push(authMoto);
const authPort = await new Promise((resolve, reject) => {
  let seen = "";
  const timer = setTimeout(() => reject(new Error(`the second moto_server did not say its port: ${seen}`)), 60000);
  const read = (chunk) => {
    const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen += chunk);
    if (match) { clearTimeout(timer); resolve(Number(match[1])); }
  };
  authMoto.stdout.on("data", read);
  authMoto.stderr.on("data", read);
  authMoto.on("exit", (code) => { clearTimeout(timer); reject(new Error(`the second moto_server exited (${code}): ${seen}`)); });
});
// it logs every request: drained, or a full pipe would stall it
authMoto.stdout.removeAllListeners("data").resume();
authMoto.stderr.removeAllListeners("data").resume();
const authEndpoint = `http://127.0.0.1:${authPort}`;

// errors moto cannot produce, in AWS's own format (query protocol): throttling and an expired token
const fake = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const code = (req.headers["x-amz-security-token"] ?? "").startsWith("expired") ? "ExpiredToken" : "Throttling";
    const message = code === "Throttling" ? "Rate exceeded" : "The security token included in the request is expired";
    res.writeHead(400, { "Content-Type": "text/xml" });
    res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error>`
      + "<RequestId>e2e</RequestId></ErrorResponse>");
  });
}).listen(0, "127.0.0.1");
await new Promise((resolve) => fake.on("listening", resolve));
const fakeUrl = `http://127.0.0.1:${fake.address().port}`;

// an endpoint that accepts and never answers (with --cli-read-timeout 0 the AWS CLI waits for ever)
const silentSockets = [];
const silent = net.createServer((s) => { silentSockets.push(s); s.on("error", () => {}); s.resume(); }).listen(0, "127.0.0.1");
await new Promise((resolve) => silent.on("listening", resolve));
const silentUrl = `http://127.0.0.1:${silent.address().port}`;

// a port nothing listens on: an endpoint that cannot be reached
const unused = net.createServer().listen(0, "127.0.0.1");
await new Promise((resolve) => unused.on("listening", resolve));
const closedUrl = `http://127.0.0.1:${unused.address().port}`;
await new Promise((resolve) => unused.close(resolve));

// no region anywhere for the default profile; profile "west" has one. Profile "once" makes one attempt: the
// Throttling hint's endpoint throttles every request, and the AWS CLI's four retries of it were seconds of backoff
mkdirSync(path.join(home, ".aws"), { recursive: true });
writeFileSync(path.join(home, ".aws", "config"), "[profile west]\nregion = eu-west-1\n[profile once]\nregion = us-east-1\nmax_attempts = 1\n");
writeFileSync(path.join(home, ".aws", "credentials"), "[west]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
  + "[once]\naws_access_key_id = testing\naws_secret_access_key = testing\n");
const auditLog = path.join(home, "audit.jsonl");

const transport = new StdioClientTransport({
  command: java,
  args: [...serverJvm, "--enable-native-access=ALL-UNNAMED", "-jar", jar, "mcp"],
  env: {
    PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing",
    AWS_MCP_SANDBOX: "required", AWS_EC2_METADATA_DISABLED: "true", AWS_MCP_TIMEOUT: "60",
    AWS_MCP_ALLOWED_ENDPOINTS: [endpoint, authEndpoint, fakeUrl, silentUrl, closedUrl].join(","), AWS_MCP_AUDIT_LOG: auditLog,
    AWS_ENDPOINT_URL: endpoint, // what the resources ask AWS goes to moto
  },
  stderr: "inherit",
});
const client = new Client({ name: "aws-sandbox-dropin-e2e", version: "1.0.0" });
const logs = [];
client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => { logs.push(n.params); });
await client.connect(transport);
const call = (args, options = {}) => client.callTool({ name: "aws_cli_pipeline", arguments: args }, undefined,
  { timeout: 600000, ...options });
const help = (args) => client.callTool({ name: "aws_cli_help", arguments: args }, undefined, { timeout: 600000 });
const aws = `aws --endpoint-url ${endpoint}`;
// setup straight to moto (no AWS CLI start: about a second of CPU each), where the test's point is not the call:
// a query-protocol (params.Action) or JSON-protocol (target) request, as the "testing" key in us-east-1
async function moto(url, service, params, target) {
  const res = await fetch(`${url}/`, { method: "POST",
    body: target ? JSON.stringify(params) : new URLSearchParams(params),
    headers: { "Content-Type": target ? "application/x-amz-json-1.1" : "application/x-www-form-urlencoded; charset=utf-8",
      ...(target ? { "X-Amz-Target": target } : {}),
      Authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0` } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`moto ${service} ${target ?? params.Action}: ${res.status} ${body}`);
  return body;
}

// ---- instructions and the default region
const instructions = client.getInstructions() ?? "";
check(/us-east-1/.test(instructions) && /no region is configured/.test(instructions),
  "the instructions state the default region us-east-1 and why", instructions);
check(/aws_cli_help/.test(instructions) && /aws:\/\/config\/environment/.test(instructions) && /Prompts/.test(instructions)
  && /jq/.test(instructions) && /Sandbox/.test(instructions),
  "the instructions describe the tools, filters, resources, prompts and sandbox", instructions);
let r = await call({ command: `${aws} ec2 describe-availability-zones --query 'AvailabilityZones[0].RegionName' --output text` });
check(!r.isError && out(r).trim() === "us-east-1" && /--region=?\s?us-east-1/.test(r.structuredContent.command),
  "ec2 works with no region configured: us-east-1 is added", r.structuredContent);
r = await call({ command: `${aws} ec2 describe-availability-zones --query 'AvailabilityZones[0].RegionName' --output text`,
  profile: "west" });
check(!r.isError && out(r).trim() === "eu-west-1" && !/--region/.test(r.structuredContent.command),
  "a profile's own region is left to the AWS CLI", r.structuredContent);

// ---- tools declare their output; the client validates structuredContent against it
const tools = (await client.listTools()).tools;
for (const t of tools) {
  check(t.outputSchema?.type === "object" && t.outputSchema.properties?.output && t.outputSchema.properties?.status,
    `${t.name} declares an outputSchema`, t.outputSchema);
}
r = await call({ command: `${aws} s3 mb s3://dropin-bucket` });
check(!r.isError, "s3 mb", text(r));
r = await call({ command: `${aws} s3api list-buckets --query 'Buckets[].Name' --output text | tr '\\t' '\\n' | sort`, timeout: "30" });
check(!r.isError && text(r).split("\n").includes("dropin-bucket"), "\"timeout\": \"30\" (a numeric string) is accepted", text(r));
const sc = r.structuredContent;
check(sc.status === "success" && sc.success === true && sc.exitCode === 0 && sc.output.split("\n").includes("dropin-bucket")
  && typeof sc.durationMs === "number" && sc.truncated === false && typeof sc.backend === "string" && sc.backend !== "none"
  && /^aws /.test(sc.command) && sc.operation?.access === "read",
  "structuredContent carries the output, status, exit code, timing, operation and sandbox", sc);
r = await call({ command: `${aws} s3 ls`, timeout: "soon" });
check(r.isError && /'timeout' must be a whole number of seconds/.test(text(r)) && r.structuredContent?.status === "refused",
  "a timeout that is not a number is refused with a clear message", text(r));
r = await call({ command: `${aws} s3 ls`, timeout: 0 });
check(r.isError && /between 1 and/.test(text(r)), "a timeout out of range is refused", text(r));

// ---- help: plain text, three levels
r = await help({ service: "s3", command: "ls" });
check(!r.isError && /DESCRIPTION/.test(text(r)) && !/[\u001b\u0008]/.test(text(r)),
  "aws_cli_help returns plain text: no escape codes, no overstrike", JSON.stringify(text(r).slice(0, 300)));
check(r.structuredContent?.status === "success" && r.structuredContent.output.trimEnd() === text(r).trimEnd(),
  "aws_cli_help's structuredContent carries the same text", r.structuredContent?.status);
r = await help({ service: "ec2", command: "wait", subcommand: "instance-running" });
check(!r.isError && /instance-running/.test(text(r)) && /describe-instances/.test(text(r)),
  "three-level help: ec2 wait instance-running (subcommand argument)", text(r).slice(0, 300));
r = await help({ service: "ec2", command: "wait instance-running" });
check(!r.isError && /instance-running/.test(text(r)), "three-level help: command 'wait instance-running'", text(r).slice(0, 300));
r = await help({ service: "ec2", command: "wait", subcommand: "instance-running; id" });
check(r.isError && /invalid/.test(text(r)), "a subcommand that is not an identifier is refused", text(r));

// ---- the timeout message, and progress for a call longer than a second
const progress = [];
// the pipeline's text (the model's) carries ESC and U+202E: the progress message shows it escaped
r = await call({ command: `aws --endpoint-url ${silentUrl} --cli-read-timeout 0 s3 ls | grep 'x\u001b[2Ky\u202ez'`, timeout: 6 },
  { onprogress: (p) => progress.push(p) });
check(r.isError && r.structuredContent.status === "timeout" && r.structuredContent.timedOut === true,
  "a command past its timeout is killed and reported as a timeout", r.structuredContent);
check(text(r).startsWith("[timed out") && /timeout of 6 s/.test(text(r)) && /larger 'timeout'/.test(text(r))
  && /"timeout": 60/.test(text(r)), "the timeout message says what happened and how to raise 'timeout'", text(r));
check(progress.length >= 1 && progress.every((p, i) => i === 0 || p.progress > progress[i - 1].progress)
  && progress[0].total === 6 && /running aws/.test(progress[0].message ?? ""),
  "progress notifications while the call runs (rising, of the timeout)", progress);
check(progress.length >= 1 && progress.every((p) => !/[\u001b\u202e]/.test(p.message ?? ""))
  && progress.every((p) => (p.message ?? "").includes("\\u001b") && (p.message ?? "").includes("\\u202e")),
  "progress notifications escape the command's control and bidi characters", progress.map((p) => p.message));

// ---- cancellation: the TypeScript client's AbortSignal sends notifications/cancelled; the command dies
const before = silentSockets.length;
const controller = new AbortController();
const pending = call({ command: `aws --endpoint-url ${silentUrl} --cli-read-timeout 0 s3 ls`, timeout: 1800 },
  { signal: controller.signal });
while (silentSockets.length === before) await new Promise((resolve) => setTimeout(resolve, 200));
const socket = silentSockets[silentSockets.length - 1];
const closed = new Promise((resolve) => socket.on("close", resolve));
controller.abort("the user pressed stop");
let aborted = null;
try {
  await pending;
} catch (e) {
  aborted = e;
}
check(aborted !== null, "the aborted call rejects at the client", String(aborted));
await Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error(
  "the cancelled call's AWS CLI still holds its connection after 300 s (its timeout is 1800 s)")), 300000).unref())]);
check(true, "notifications/cancelled kills the call's AWS CLI (its connection closed long before its timeout)");
r = await call({ command: `${aws} s3 ls` });
check(!r.isError && /dropin-bucket/.test(text(r)), "the server answers the next call after a cancellation", text(r));

// ---- error hints, each against the error moto really returns. The calls of each group below are sent at once
// (each is an AWS CLI start, about a CPU-second): each call gets its own answer, judged by itself; the groups stay in
// order, as each changes the credentials and configuration the next one uses
logs.length = 0;
const hinted = async (command, hint, what, extra = {}) => {
  const res = await call({ command, ...extra });
  check(res.isError && res.structuredContent.status === "error" && res.structuredContent.hints?.some((h) => hint.test(h))
    && hint.test(text(res)), `hint: ${what}`, { text: text(res), hints: res.structuredContent.hints });
  return res;
};
await Promise.all([
  hinted(`${aws} s3 ls s3://no-such-bucket-dropin`, /does not exist/, "NoSuchBucket"),
  hinted(`${aws} dynamodb describe-table --table-name nope`, /does not exist/, "ResourceNotFoundException"),
  hinted(`${aws} iam get-user --user-name nope`, /does not exist/, "NoSuchEntity"),
  hinted(`${aws} ec2 describe-instances --instance-ids i-0123456789abcdef0`, /does not exist/, "InvalidInstanceID.NotFound"),
  hinted(`${aws} cloudformation describe-stacks --stack-name nope`, /does not exist/, "ValidationError: stack does not exist"),
  hinted(`${aws} ec2 create-vpc --cidr-block not-a-cidr`, /parameter value is not valid/, "InvalidParameterValue"),
  hinted(`${aws} s3api create-bucket --bucket 'no spaces!'`, /parameter value is not valid/, "parameter validation"),
  hinted(`${aws} ec2 run-instances --image-id ami-12345678 --instance-type t2.micro --count 1 --dry-run`,
    /without --dry-run/, "DryRunOperation"),
  hinted(`${aws} s3api get-object --bucket dropin-bucket ./out`, /required parameter is missing/,
    "missing required arguments"),
  hinted(`${aws} s3 ls`, /no profile 'nosuch'/, "profile not found", { profile: "nosuch" }),
  hinted(`aws --endpoint-url ${fakeUrl} sts get-caller-identity`, /rate limiting/, "Throttling (an endpoint in AWS's format)",
    { profile: "once" }),
]);
check(logs.some((l) => l.level === "error" && /failed/.test(String(l.data))),
  "a failed call sends a log notification (level error)", logs);

// the signature-checking moto: unknown key, wrong secret, no permission. Its first two requests, unsigned, make the user
// and its key, straight to moto
const authAws = `aws --endpoint-url ${authEndpoint}`;
await moto(authEndpoint, "iam", { Action: "CreateUser", UserName: "limited", Version: "2010-05-08" });
const created = await moto(authEndpoint, "iam", { Action: "CreateAccessKey", UserName: "limited", Version: "2010-05-08" });
const key = { AccessKeyId: /<AccessKeyId>([^<]+)</.exec(created)?.[1], SecretAccessKey: /<SecretAccessKey>([^<]+)</.exec(created)?.[1] };
check(/^AKIA/.test(key.AccessKeyId ?? "") && key.SecretAccessKey?.length >= 20, "a user and its key on the signature-checking moto",
  created);
writeFileSync(path.join(home, ".aws", "credentials"), "[west]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
  + `[limited]\naws_access_key_id = ${key.AccessKeyId}\naws_secret_access_key = ${key.SecretAccessKey}\n`
  + `[wrongsecret]\naws_access_key_id = ${key.AccessKeyId}\naws_secret_access_key = not-the-secret\n`);
await Promise.all([
  hinted(`${authAws} sts get-caller-identity`, /credentials are not valid/, "InvalidClientTokenId"),
  hinted(`${authAws} s3 ls`, /credentials are not valid/, "SignatureDoesNotMatch", { profile: "wrongsecret" }),
  hinted(`${authAws} ec2 describe-instances`, /lack permission/, "AccessDenied", { profile: "limited" }),
]);

// a profile with a region and no keys (an explicit profile does not take keys from the environment), an
// expired session token (the endpoint in AWS's format), a name taken twice, a closed port; an unknown command
writeFileSync(path.join(home, ".aws", "config"), "[profile west]\nregion = eu-west-1\n[profile nokeys]\nregion = us-east-1\n");
writeFileSync(path.join(home, ".aws", "credentials"), readFileSync(path.join(home, ".aws", "credentials"), "utf8")
  + "[expiring]\naws_access_key_id = testing\naws_secret_access_key = testing\naws_session_token = expired-token\n");
await moto(endpoint, "iam", { Action: "CreateUser", UserName: "dropin-twice", Version: "2010-05-08" }); // the first time
await Promise.all([
  hinted(`${aws} s3 ls`, /no AWS credentials reached the sandbox/, "no credentials", { profile: "nokeys" }),
  hinted(`aws --endpoint-url ${fakeUrl} sts get-caller-identity`, /have expired/, "ExpiredToken (an endpoint in AWS's format)",
    { profile: "expiring" }),
  hinted(`${aws} iam create-user --user-name dropin-twice`, /already exists/, "EntityAlreadyExists"),
  hinted(`aws --endpoint-url ${closedUrl} --cli-connect-timeout 2 sts get-caller-identity`, /could not be reached/,
    "an endpoint that cannot be reached"),
]);
r = await call({ command: `${aws} s3api frobnicate-bucket --bucket x` });
check(r.isError && r.structuredContent.status === "refused" && /aws_cli_help service=s3api/.test(text(r)),
  "an unknown command is refused before it runs, pointing to aws_cli_help", text(r));

// ---- a refused call: an error result and a log notification (level warning)
logs.length = 0;
r = await call({ command: "aws s3 ls; id" });
check(r.isError && r.structuredContent.status === "refused", "a refused call says so in structuredContent", r.structuredContent);
check(logs.some((l) => l.level === "warning" && l.logger === "aws-sandbox" && /refused/.test(String(l.data))),
  "a refused call sends a log notification (level warning)", logs);
// the refusal shows the model's text: its control characters arrive escaped (mcp round 8, F3)
logs.length = 0;
r = await call({ command: "aws s3api frob\u001b[2Kx\u202ebucket --bucket x" });
const refusalLogs = logs.filter((l) => l.level === "warning").map((l) => String(l.data));
check(refusalLogs.length > 0 && refusalLogs.every((d) => !/[\u001b\u202e]/.test(d)) && refusalLogs.some((d) => d.includes("\\u001b")),
  "a refused call's log notification escapes the command's control characters", refusalLogs);

// ---- prompts
const prompts = (await client.listPrompts()).prompts;
const names = prompts.map((p) => p.name);
for (const name of ["create_resource", "security_audit", "cost_optimization", "resource_inventory", "troubleshoot_service",
  "iam_policy_generator", "service_monitoring", "disaster_recovery", "compliance_check", "resource_cleanup",
  "serverless_deployment", "container_orchestration", "vpc_network_design", "infrastructure_automation",
  "security_posture_assessment", "performance_tuning", "multi_account_governance"]) {
  check(names.includes(name), `prompt ${name} is listed`, names);
}
check(prompts.every((p) => p.description && Array.isArray(p.arguments)), "every prompt has a description and arguments", prompts);
for (const p of prompts) {
  const args = Object.fromEntries(p.arguments.filter((a) => a.required).map((a) => [a.name, `my-${a.name}`]));
  const got = await client.getPrompt({ name: p.name, arguments: args });
  const body = got.messages.map((m) => m.content.text).join("\n");
  check(got.messages.length >= 1 && got.messages[0].role === "user" && /aws:\/\/config\/environment/.test(body)
    && /read-only/i.test(body) && Object.values(args).every((v) => body.includes(v)) && !/\{[a-z_]+\}/.test(body),
    `prompt ${p.name} fills its arguments and starts with read-only discovery through the resources`, body.slice(0, 400));
}
const inventory = await client.getPrompt({ name: "resource_inventory", arguments: { service: "ec2" } });
check(/region: all/.test(inventory.messages[0].content.text), "an optional prompt argument gets its default");
let promptError = null;
try {
  await client.getPrompt({ name: "troubleshoot_service", arguments: { service: "ec2" } });
} catch (e) {
  promptError = e;
}
check(promptError !== null && /resource_id/.test(String(promptError.message)), "a missing prompt argument is an error naming it",
  String(promptError?.message));

// ---- resources from real data
const resource = async (uri) => JSON.parse((await client.readResource({ uri })).contents[0].text);
const regions = await resource("aws://config/regions");
const east = regions.regions.find((x) => x.region === "us-east-1");
check(regions.regions.length >= 30 && regions.regions.every((x) => x.name && x.partition) && east?.name === "US East (N. Virginia)"
  && regions.partitions.some((p) => p.partition === "aws-cn") && /endpoints\.json$/.test(regions.source),
  "regions, their names and partitions come from the AWS CLI's endpoint data", { n: regions.regions.length, east });
check(regions.default.region === "us-east-1" && /no region is configured/.test(regions.default.source),
  "the regions resource names the default region and why", regions.default);
const region = await resource("aws://config/regions/us-east-1");
check(region.known && region.name === "US East (N. Virginia)" && region.services.includes("ec2") && region.services.includes("iam")
  && region.availabilityZones?.some((z) => z.zoneName === "us-east-1a"),
  "a region's services and availability zones (sandboxed ec2 describe-availability-zones against moto)", region);
const nowhere = await resource("aws://config/regions/xx-nowhere-9");
check(nowhere.known === false, "an unknown region is said to be unknown", nowhere);
const junk = await resource("aws://config/regions/us-east-1%20--debug");
check(junk.known === false && /not a region name/.test(junk.error), "a region that is not a name is refused", junk);
r = await call({ command: "aws iam create-account-alias --account-alias dropin-alias" }); // AWS_ENDPOINT_URL: moto
check(!r.isError, "create an account alias (moto)", text(r));
await moto(endpoint, "organizations", { FeatureSet: "ALL" }, "AWSOrganizationsV20161128.CreateOrganization");
const account = await resource("aws://config/account");
check(account.account === "123456789012" && account.alias === "dropin-alias" && /^o-/.test(account.organization?.id ?? ""),
  "the account resource has the id, alias and organization", account);
const again = await resource("aws://config/account");
check(JSON.stringify(again) === JSON.stringify(account), "the account resource is cached", again);
const environment = await resource("aws://config/environment");
check(environment.credentials.source === "environment" && environment.region.region === "us-east-1"
  && environment.variables.AWS_SECRET_ACCESS_KEY === "(set)" && !JSON.stringify(environment).includes(key.SecretAccessKey)
  && environment.sandbox.backend !== "none" && environment.auditLog === auditLog,
  "the environment resource names the credential source, region, sandbox and audit log, never a secret", environment);
const profiles = await resource("aws://config/profiles");
const west = profiles.profiles.find((p) => p.name === "west");
check(west?.region === "eu-west-1" && west.credentials === "profile" && profiles.active === "default"
  && !JSON.stringify(profiles).includes(key.SecretAccessKey), "the profiles resource: region and credential source of each", profiles);

await client.close();

// ---- the audit log: one JSON line per command, refused ones included
const lines = readFileSync(auditLog, "utf8").trim().split("\n").map((l) => JSON.parse(l));
check(lines.length >= 20 && lines.every((l) => l.time && l.tool && l.decision && l.session),
  "the audit log has a JSON line per call with time, session, tool and decision", lines.length);
const mb = lines.find((l) => l.decision === "allowed" && l.argv?.includes("mb"));
check(mb && mb.argv[0] === "aws" && mb.backend && mb.exitCode === 0 && typeof mb.durationMs === "number"
  && typeof mb.stdoutBytes === "number" && mb.operation && mb.status === "success",
  "an allowed command's line has its canonical argv, backend, exit status, duration and bytes out", mb);
const refusedLine = lines.find((l) => l.decision === "refused" && l.tool === "aws_cli_pipeline" && l.command === "aws s3 ls; id");
check(refusedLine && /;/.test(refusedLine.reason), "a refused call's line has the command and the reason", refusedLine);
// red team, round 7: a cancelled call was logged as "refused", without its operation and access,
// though it may have run and written before it was killed
const cancelledLine = lines.find((l) => l.status === "cancelled");
check(cancelledLine && cancelledLine.decision === "allowed" && cancelledLine.operation && cancelledLine.access === "read"
  && cancelledLine.argv?.some((a) => a.startsWith("--cli-read-timeout")),
  "a cancelled call's line says what it was (allowed, its operation and access) and that it was cancelled", cancelledLine);
check(!readFileSync(auditLog, "utf8").includes(key.SecretAccessKey), "the audit log holds no secret");
check(lines.filter((l) => l.tool === "resource" && l.argv?.includes("get-caller-identity")).length === 1,
  "resource reads are audited, and the cached second read ran nothing", lines.filter((l) => l.tool === "resource"));

// docs/mcp.md's jq examples, as written there, on this log
const readme = readFileSync(new URL("../../../../docs/mcp.md", import.meta.url), "utf8");
const auditSection = readme.slice(readme.indexOf("## Audit log"), readme.indexOf("## Configure a client"));
const jqLines = auditSection.split("\n").filter((l) => l.startsWith("jq "));
check(jqLines.length === 2, "the README shows two jq examples for the audit log", jqLines);
const jq = (line) => {
  const args = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(1)
    .map((a) => (a === "audit.jsonl" ? auditLog : a));
  return execFileSync("jq", args, { encoding: "utf8" });
};
const refusals = jq(jqLines[0]).trim().split("\n").map((l) => JSON.parse(l));
check(refusals.some((l) => l.tool === "aws_cli_pipeline" && /;/.test(l.reason) && l.time),
  "README jq: the refused calls with time, tool and reason", refusals);
const writes = jq(jqLines[1]);
check(/^\S+\t\S+\taws .*s3 mb s3:\/\/dropin-bucket[^\t]*\tsuccess$/m.test(writes) && !/describe-/.test(writes),
  "README jq: the writes as time, session, command and status (tab-separated), no reads", writes);

silent.close();
fake.close();
console.log(`${checks} passed, 0 failed`);
process.exit(0);
