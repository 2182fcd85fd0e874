// End-to-end test of `aws-sandbox mcp` with the official MCP TypeScript SDK client over stdio.
// Usage: node client.mjs JAVA JAR MOTO_ENDPOINT HOME  (exits non-zero on the first failed check)
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import net from "node:net";
// the server's JVM flags: bin/aws-sandbox's (McpEndToEndIT passes them), with which clients start it
const serverJvm = (process.env.SERVER_JVM_FLAGS ?? "").split(" ").filter(Boolean);

const [java, jar, endpoint, home] = process.argv.slice(2);
let checks = 0;
function check(condition, what, detail) {
  if (!condition) {
    console.error(`FAILED: ${what}${detail === undefined ? "" : ": " + JSON.stringify(detail)}`);
    process.exit(1);
  }
  checks++;
  console.log(`ok ${what}`);
}
const text = (result) => result.content.map((c) => c.text).join("\n");

// an endpoint that accepts and never answers (allowed for this server): a call must come back at its timeout
const silent = net.createServer(() => {}).listen(0, "127.0.0.1");
await new Promise((resolve) => silent.on("listening", resolve));
const silentUrl = `http://127.0.0.1:${silent.address().port}`;

const transport = new StdioClientTransport({
  command: java,
  args: [...serverJvm, "--enable-native-access=ALL-UNNAMED", "-jar", jar, "mcp"],
  env: {
    PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: "us-east-1", AWS_MCP_TIMEOUT: "60", AWS_MCP_SANDBOX: "required", AWS_EC2_METADATA_DISABLED: "true",
    AWS_MCP_ALLOWED_ENDPOINTS: `${endpoint},${silentUrl}`,
  },
  stderr: "inherit",
});
const client = new Client({ name: "aws-sandbox-e2e", version: "1.0.0" });
await client.connect(transport);

const tools = await client.listTools();
const names = tools.tools.map((t) => t.name).sort();
check(JSON.stringify(names) === JSON.stringify(["aws_cli_help", "aws_cli_pipeline"]), "lists the two tools", names);
const help = tools.tools.find((t) => t.name === "aws_cli_help");
check(help.annotations?.readOnlyHint === true, "aws_cli_help is annotated read-only", help.annotations);

const resources = await client.listResources();
const uris = resources.resources.map((r) => r.uri);
check(uris.includes("aws://config/environment") && uris.includes("aws://config/profiles"), "lists resources", uris);
const env = JSON.parse((await client.readResource({ uri: "aws://config/environment" })).contents[0].text);
check(env.sandbox.backend !== "none" && env.variables.AWS_SECRET_ACCESS_KEY === "(set)", "environment resource hides secrets", env);

let r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command: `aws --endpoint-url ${endpoint} s3 mb s3://mcp-e2e-bucket` } });
check(!r.isError, "aws s3 mb succeeds", text(r));
r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command: `aws --endpoint-url ${endpoint} s3api list-buckets | jq -r '.Buckets[].Name'` } });
check(!r.isError && text(r).split("\n").includes("mcp-e2e-bucket"), "aws s3api list-buckets | jq lists the bucket", text(r));
check(r.structuredContent?.backend !== "none" && r.structuredContent?.exitCode === 0, "structured content", r.structuredContent);

// aws_cli_help s3 ls itself: client-dropin.mjs (the same call, checked closer: plain text, no escapes); here its refusal

r = await client.callTool({ name: "aws_cli_help", arguments: { service: "s3 | sh -c id" } });
check(r.isError && /invalid service/.test(text(r)) && !/uid=/.test(text(r)), "CVE-2026-5059 payload refused", text(r));
r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command: "aws s3 ls | sh -c id" } });
check(r.isError && /not an allowed filter/.test(text(r)), "a shell after | is refused", text(r));
r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command: "id" } });
check(r.isError && /must start with the AWS CLI/.test(text(r)), "a non-aws command is refused", text(r));
r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command: "aws --version | jq -n env" } });
check(!text(r).includes("AWS_SECRET_ACCESS_KEY") && !text(r).includes("AWS_ACCESS_KEY_ID"), "filters see no credentials", text(r));
r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command: "aws --version | sort --compress-program=sh" } });
check(r.isError && /not allowed/.test(text(r)), "sort --compress-program is refused", text(r));
r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command: "aws configure export-credentials" } });
check(r.isError && /configure/.test(text(r)), "aws configure export-credentials is refused", text(r));
r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command: "aws s3 ls; id" } });
check(r.isError && /';'/.test(text(r)), "shell operators are refused", text(r));

const started = Date.now();
r = await client.callTool({ name: "aws_cli_pipeline", arguments: {
  command: `aws --endpoint-url ${silentUrl} s3 ls`, timeout: 3 } });
check(r.isError && r.structuredContent?.timedOut === true, "the timeout kills the command", r.structuredContent);
check(Date.now() - started < 30000, "the timed-out call returns promptly", Date.now() - started);
silent.close();

await client.close();
console.log(`${checks} passed, 0 failed`);
