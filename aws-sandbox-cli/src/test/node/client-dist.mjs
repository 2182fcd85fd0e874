// The unpacked self-contained archive as an MCP server (issue 12, item 8): started by its own launcher
// with no java on PATH and no JAVA_HOME, driven by the official TypeScript SDK client against moto.
// Usage: node client-dist.mjs CONFIG MOTO_ENDPOINT HOME PATH_WITHOUT_JAVA
//   CONFIG: {"command": ..., "args": [...], "env": {...}}, or a claude_desktop_config.json holding it as
//   mcpServers.aws: a client configuration as the README shows it
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [config, endpoint, home, path] = process.argv.slice(2);
const parsed = JSON.parse(config);
const server = parsed.mcpServers ? parsed.mcpServers.aws : parsed;
let checks = 0;
function check(condition, what, detail) {
  if (!condition) {
    console.error(`FAILED: ${what}${detail === undefined ? "" : ": " + JSON.stringify(detail).slice(0, 2000)}`);
    process.exit(1);
  }
  checks++;
  console.log(`ok ${what}`);
}
const text = (r) => r.content.map((c) => c.text).join("\n");
const transport = new StdioClientTransport({
  command: server.command, args: server.args,
  // exactly the configuration's environment, with no JAVA_HOME and no java on PATH, plus moto's credentials
  env: { ...server.env, PATH: path, HOME: home, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing",
    AWS_EC2_METADATA_DISABLED: "true", AWS_MCP_ALLOWED_ENDPOINTS: endpoint },
  stderr: "inherit",
});
const client = new Client({ name: "aws-sandbox-dist", version: "1.0.0" });
// the archive's first launch prepares its start-up cache before the server answers: on a loaded machine (the other
// integration tests run beside this one) that can pass the SDK's 60 s default
await client.connect(transport, { timeout: 300000 });
check((await client.listTools()).tools.length === 2, "the packaged server lists its tools");
let r = await client.callTool({ name: "aws_cli_pipeline", arguments: { command: `aws --endpoint-url ${endpoint} s3 mb s3://dist-bucket` } });
check(!r.isError, "s3 mb through the packaged server", text(r));
r = await client.callTool({ name: "aws_cli_pipeline", arguments: {
  command: `aws --endpoint-url ${endpoint} s3api list-buckets | jq -r '.Buckets[].Name'` } });
check(!r.isError && /dist-bucket/.test(text(r)) && r.structuredContent.backend === "landlock",
  "aws | jq runs sandboxed (landlock) from the packaged server", r.structuredContent);
const env = JSON.parse((await client.readResource({ uri: "aws://config/environment" })).contents[0].text);
check(env.sandbox.backend === "landlock" && env.region.region === "us-east-1", "the environment resource", env);
await client.close();
console.log(`${checks} passed, 0 failed`);
process.exit(0);
