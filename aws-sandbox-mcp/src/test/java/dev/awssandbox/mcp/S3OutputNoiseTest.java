package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.MotoServer;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a model reads of an {@code s3} command is what a terminal would show (testers' F8): not the
 * AWS CLI's progress line that a {@code \r} overwrites, nor its padding; and a successful pipeline
 * whose {@code aws} stage was cut off by {@code head} does not carry Python's broken-pipe lines in
 * {@code error} (testers' F16).
 */
class S3OutputNoiseTest {

    private static McpSchema.CallToolResult call(AwsTools tools, String command) {
        return tools.pipeline(Call.NONE, Map.of("command", command));
    }

    @Test
    void onlyWhatFollowsTheLastCarriageReturnOfALineIsKept() {
        assertThat(AwsTools.withoutOverwrittenText("Completed 6 Bytes/6 Bytes (341 Bytes/s) with 1 file(s) remaining"
                + "\rdownload: s3://b/k to ./k          \n")).isEqualTo("download: s3://b/k to ./k\n");
        assertThat(AwsTools.withoutOverwrittenText("a\r\nb\r\n")).as("CRLF line ends stay").isEqualTo("a\r\nb\r\n");
        assertThat(AwsTools.withoutOverwrittenText("plain  \nlines")).isEqualTo("plain  \nlines");
        // outside test RT33, F2: a failed transfer leaves its last progress line, ended by a CR alone
        assertThat(AwsTools.withoutOverwrittenText("Completed 6 Bytes/6 Bytes (350 Bytes/s) with 1 file(s) remaining\r"))
                .isEmpty();
    }

    @SuppressWarnings("unchecked")
    @Test
    void aDownloadShowsOnlyItsResultLine() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (MotoServer moto = MotoServer.start();
             TestHost host = McpToolsSandboxTest.awsHost()
                     .set("AWS_MCP_ALLOWED_ENDPOINTS", moto.endpoint());
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));
            String aws = "aws --endpoint-url " + moto.endpoint() + " ";
            Files.writeString(context.workspace().resolve("five.txt"), "hello");
            assertThat(call(tools, aws + "s3 mb s3://noise").isError()).isFalse();
            assertThat(call(tools, aws + "s3 cp ./five.txt s3://noise/five.txt").isError()).isFalse();

            McpSchema.CallToolResult download = call(tools, aws + "s3 cp s3://noise/five.txt ./again.txt");

            assertThat(download.isError()).as(McpToolsSandboxTest.text(download)).isFalse();
            String text = ((McpSchema.TextContent) download.content().getFirst()).text();
            assertThat(text).isEqualTo("download: s3://noise/five.txt to ./again.txt");
            assertThat((String) ((Map<String, Object>) download.structuredContent()).get("output"))
                    .isEqualTo("download: s3://noise/five.txt to ./again.txt\n");
        }
    }

    /**
     * Outside test WF30, F4: an object streamed to stdout that is no text came to the model as replacement characters and
     * raw control bytes (NUL, ESC), with advice to narrow it by --query. It is said, not shown. Control: a text object is
     * shown; the check itself passes text with tabs and line ends.
     */
    @SuppressWarnings("unchecked")
    @Test
    void aBinaryObjectOnStdoutIsSaidNotShown() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (MotoServer moto = MotoServer.start();
             TestHost host = McpToolsSandboxTest.awsHost().set("AWS_MCP_ALLOWED_ENDPOINTS", moto.endpoint());
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));
            String aws = "aws --endpoint-url " + moto.endpoint() + " ";
            byte[] bytes = new byte[4096];
            new java.util.Random(7).nextBytes(bytes);
            bytes[10] = 0;
            bytes[11] = 0x1b;
            Files.write(context.workspace().resolve("b.bin"), bytes);
            Files.writeString(context.workspace().resolve("t.txt"), "plain\ttext\r\n");
            assertThat(call(tools, aws + "s3 mb s3://noise-bin").isError()).isFalse();
            assertThat(call(tools, aws + "s3 cp ./b.bin s3://noise-bin/b.bin").isError()).isFalse();
            assertThat(call(tools, aws + "s3 cp ./t.txt s3://noise-bin/t.txt").isError()).isFalse();

            McpSchema.CallToolResult binary = call(tools, aws + "s3 cp s3://noise-bin/b.bin -");

            String text = McpToolsSandboxTest.text(binary);
            assertThat(text).contains("the output is not text (4096 bytes)").doesNotContain("\u0000").doesNotContain("\u001b");
            assertThat((String) ((Map<String, Object>) binary.structuredContent()).get("output")).isEmpty();
            assertThat(McpToolsSandboxTest.text(call(tools, aws + "s3 cp s3://noise-bin/t.txt -"))).as("control")
                    .contains("plain\ttext").doesNotContain("not text");
            assertThat(AwsTools.notText("a\tb\r\nc\n")).isFalse();
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void aStageCutOffByHeadLeavesNoBrokenPipeLines() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        Requirements.requireProgram("head");
        try (MotoServer moto = MotoServer.start();
             TestHost host = McpToolsSandboxTest.awsHost()
                     .set("AWS_MCP_ALLOWED_ENDPOINTS", moto.endpoint());
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));
            String aws = "aws --endpoint-url " + moto.endpoint() + " ";
            // a listing far larger than a pipe's buffer (64 KiB): the AWS CLI is still writing when head has gone
            Path many = Files.createDirectory(context.workspace().resolve("many"));
            String longName = "k".repeat(200);
            for (int i = 0; i < 400; i++) {
                Files.writeString(many.resolve(longName + i), "x");
            }
            assertThat(call(tools, aws + "s3 mb s3://noise-pipe").isError()).isFalse();
            McpSchema.CallToolResult upload = call(tools, aws + "s3 cp ./many s3://noise-pipe/ --recursive --only-show-errors");
            assertThat(upload.isError()).as(McpToolsSandboxTest.text(upload)).isFalse();

            McpSchema.CallToolResult first = call(tools, aws + "s3 ls s3://noise-pipe/ | head -1");

            Map<String, Object> structured = (Map<String, Object>) first.structuredContent();
            assertThat(structured).as(McpToolsSandboxTest.text(first)).containsEntry("status", "success");
            assertThat((String) structured.get("output")).contains(longName);
            assertThat(McpToolsSandboxTest.text(first)).doesNotContain("Broken pipe").doesNotContain("BrokenPipeError");
            assertThat(structured).doesNotContainKey("error");
            // the whole pipeline, its filter too (outside test WF30, F8: 'command' is the AWS CLI stage alone)
            assertThat((String) structured.get("pipeline")).contains("s3 ls s3://noise-pipe/ | head ");
            assertThat((String) structured.get("command")).doesNotContain("head");
        }
    }
}
