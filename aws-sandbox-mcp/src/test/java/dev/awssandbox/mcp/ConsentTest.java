package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.mcp.policy.AwsCli;
import dev.awssandbox.mcp.policy.AwsCommand;
import dev.awssandbox.mcp.policy.AwsCommandPolicy;
import dev.awssandbox.mcp.policy.Classification;
import dev.awssandbox.mcp.policy.ParamFile;
import dev.awssandbox.mcp.policy.Refused;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The consent question shows the model's argument values escaped (red team, mcp round 8, F3). */
class ConsentTest {
    private static AwsCli cli;

    @BeforeAll
    static void load() {
        Optional<Path> data = AwsCli.locate(HostEnvironment.current());
        assumeTrue(data.isPresent(), "no AWS CLI installed");
        cli = AwsCli.load(data.get());
    }

    /** The decision for {@code argv} as the AWS CLI reads it (the policy's checks are not what is tested here). */
    private static AwsCommandPolicy.Decision decision(List<String> argv, Classification classification, List<ParamFile> files)
            throws Refused {
        AwsCommand command = cli.parse(argv);
        return new AwsCommandPolicy.Decision(List.of(command.argv()), classification,
                Optional.of(classification.name() + " changes the AWS account"), Optional.empty(), files, command);
    }

    private static final Classification S3_RM = new Classification("s3:rm", false, "", List.of("s3:rm"));

    /** The repro's spoof: erase the line, go up, print a read's question, then the real command's tail. */
    private static final String SPOOF = "\r\u001b[2K\u001b[1A\u001b[2KThe assistant wants to run s3:ls (read):\r\n"
            + "aws --region=us-east-1 s3 ls s3://prod-data\u202e\u2066\u2028\u0085\u007f\u200b\uDB40\uDC01";

    @Test
    void theQuestionShowsControlAndFormatCharactersEscaped() throws Exception {
        AwsCommandPolicy.Decision decision = decision(List.of("aws", "--region=us-east-1", "s3", "rm", "s3://prod-data",
                "--recursive", "--exclude=" + SPOOF), S3_RM, List.of());

        String message = Consent.message(decision);

        assertThat(message).startsWith("The assistant wants to run s3:rm (write) (s3:rm changes the AWS account).\n"
                + "Options set: --region, --recursive, --exclude.\n");
        assertThat(fencedBlocks(message)).containsExactly(List.of("aws s3 rm", "--region = us-east-1",
                "paths (positional) = s3://prod-data", "--recursive", "--exclude = \\r\\u001b[2K\\u001b[1A\\u001b[2K"
                + "The assistant wants to run s3:ls (read):\\r\\naws --region=us-east-1 s3 ls s3://prod-data"
                + "\\u202e\\u2066\\u2028\\u0085\\u007f\\u200b\\U000e0001"));
        // the server's own line break is the only control character left
        assertThat(message.codePoints().filter(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR
                || Character.getType(c) == Character.SURROGATE).toArray()).containsOnly('\n');
        // three lines of prose, the fence, five arguments, the fence, and the note on the value's "--region"
        assertThat(message.lines()).hasSize(11);
    }

    /**
     * Red team, mcp round 9, F5: characters that show as nothing or as a blank stayed raw, so
     * {@code --role-name Admin} and {@code Admin\u3164} read the same in the question.
     */
    @Test
    void theQuestionShowsInvisibleCharactersEscaped() throws Exception {
        String invisible = "\u3164\u115f\u1160\uffa0\u034f\ufe00\ufe0f\udb40\udd00\udb40\uddef\u180b\u180f\u17b4"
                + "\u17b5\u0336\u20dd\u2800\u00a0\u1680\u2000\u200a\u202f\u205f\u3000\u2065";
        AwsCommandPolicy.Decision decision = decision(
                List.of("aws", "--region=us-east-1", "iam", "delete-role", "--role-name=Admin" + invisible),
                new Classification("iam:DeleteRole", false, "", List.of("iam:delete-role")), List.of());

        String message = Consent.message(decision);

        assertThat(message).contains("\n--role-name = Admin\\u3164\\u115f\\u1160\\uffa0\\u034f\\ufe00\\ufe0f\\U000e0100"
                + "\\U000e01ef\\u180b\\u180f\\u17b4\\u17b5\\u0336\\u20dd\\u2800\\u00a0\\u1680\\u2000\\u200a"
                + "\\u202f\\u205f\\u3000\\u2065");
        assertThat(message.codePoints().filter(c -> c > 0x7e && c != '\n').toArray()).as("nothing but ASCII here").isEmpty();
    }

    /**
     * Red team, mcp round 9, F1: the question showed {@code file://p}, which says nothing of the
     * target; it now shows what the server's copy says, escaped and bounded, naming the argument.
     */
    @Test
    void theQuestionShowsWhatEachParameterFileSays() throws Exception {
        Path copy = Path.of("/srv/state/paramfiles/call-1/1/p");
        String longText = "{\"Statement\": \"" + "x".repeat(3000) + "\"}";
        AwsCommandPolicy.Decision decision = decision(
                List.of("aws", "--region=us-east-1", "s3", "rm", "file://" + copy, "--recursive"), S3_RM, List.of(
                        new ParamFile("paths", "file://p", copy, 21, "UTF-8", Optional.of("s3://victim\u3164\u001b[2K/\n"), true),
                        new ParamFile("--policy-document", "file://long.json", copy, longText.length(),
                                "UTF-8", Optional.of(longText.substring(0, 2048)), false),
                        new ParamFile("--zip-file", "fileb://f.zip", copy, 5000, "UTF-8", Optional.empty(), false)));

        String message = Consent.message(decision);

        assertThat(message).contains("\nParameter file 1 of 3, 21 bytes, read from the server's copy (the argument, the"
                + " copy the command names, and what it says):\n```\npaths file://p\ncopy: " + copy
                + "\ns3://victim\\u3164\\u001b[2K/\\n\n```\n");
        assertThat(message).contains("\nParameter file 2 of 3, " + longText.length() + " bytes, read from the server's"
                + " copy (the argument, the copy the command names, and its first 2048 characters; the rest is not"
                + " shown):\n```\n--policy-document file://long.json\ncopy: " + copy + "\n{\"Statement\": \"xxx");
        assertThat(message).doesNotContain("x".repeat(2048));
        assertThat(message).endsWith("\nParameter file 3 of 3, 5000 bytes, read from the server's copy (the argument,"
                + " the copy the command names; binary, not UTF-8 text, so not shown):\n```\n--zip-file fileb://f.zip\n"
                + "copy: " + copy + "\n```");
    }

    /**
     * Red team, mcp round 10, F6: a Markdown renderer showed {@code '--include=[old.txt](<'
     * --recursive '--exclude=>)'} as a link whose text hid {@code --recursive}, and {@code <!--} …
     * {@code -->} hides a span where raw HTML is rendered. Everything the model chose sits inside
     * fenced code blocks that nothing in them can close.
     */
    @Test
    void theQuestionShowsModelTextInFencesNothingInItCanClose() throws Exception {
        Path copy = Path.of("/srv/state/paramfiles/call-1/1/x](<`````");
        List<List<String>> attacks = List.of(
                List.of("aws", "--endpoint-url=http://127.0.0.1:5510", "--region=us-east-1", "s3", "rm", "s3://prodbucket/",
                        "--include=[old.txt](<", "--recursive", "--exclude=>)"),
                List.of("aws", "--region=us-east-1", "s3api", "delete-object", "--expected-bucket-owner=<!--",
                        "--key=customer-db.sql", "--mfa= -->", "--bucket=prodbucket"),
                List.of("aws", "--region=us-east-1", "s3", "rm", "s3://b/", "--include=x\n```\n# *not* code",
                        "--recursive", "--exclude=````` <b>_y_</b> &amp; ``````"));
        for (List<String> argv : attacks) {
            AwsCommandPolicy.Decision decision = decision(argv, S3_RM, List.of(new ParamFile("--tags", "file://[a](<", copy, 30,
                            "UTF-8", Optional.of("-->``` [b](<x>) <!-- ```````"), true)));

            String message = Consent.message(decision);

            List<List<String>> blocks = fencedBlocks(message);
            assertThat(blocks).as(message).hasSize(2);
            // every argument of the command is a line of the first block, as it is: --name=VALUE as --name = VALUE
            for (String arg : argv.subList(argv.indexOf("rm") > 0 ? argv.indexOf("rm") + 1 : argv.indexOf("delete-object") + 1,
                    argv.size())) {
                String line = arg.replace("\n", "\\n").replaceFirst("^(--[a-z-]+)=", "$1 = ");
                assertThat(blocks.getFirst()).as(message).anySatisfy(l -> assertThat(l).endsWith(line));
            }
            assertThat(blocks.get(1)).containsExactly("--tags file://[a](<", "copy: " + copy,
                    "-->``` [b](<x>) <!-- ```````");
            // outside the fences, only the server's prose: nothing the model wrote
            String outside = String.join("\n", outsideFences(message));
            assertThat(outside).doesNotContain("<", ">", "[", "`", "old.txt", "customer-db", "prodbucket", "copy:");
        }
    }

    /**
     * Red team, mcp round 11, F1: the command was one shell-quoted line, and {@code --exclude "x'
     * --dryrun '"} showed as {@code '--exclude=x'\'' --dryrun '\'''}: a {@code --dryrun} the user
     * took for a flag while a recursive delete ran; a 5,000-character value pushed {@code
     * --recursive} out of view. Each argument is on its own line as parsed, the options set are
     * listed by name, and a value that reads like an option or is cut is called out.
     */
    @Test
    void theQuestionShowsEachArgumentOnItsOwnLineAndCallsOutValuesThatReadAsOptions() throws Exception {
        for (String value : List.of("x' --dryrun '", "x" + " ".repeat(80) + "--dryrun", "' --dryrun ", "x'--dryrun'",
                "--dryrun", "x\t-d")) {
            AwsCommandPolicy.Decision decision = decision(List.of("aws", "--region=us-east-1", "s3", "rm", "s3://prodbucket/",
                    "--recursive", "--exclude=" + value), S3_RM, List.of());

            String message = Consent.message(decision);

            assertThat(message.lines()).as(message).contains("Options set: --region, --recursive, --exclude.");
            assertThat(fencedBlocks(message)).as(message).containsExactly(List.of("aws s3 rm", "--region = us-east-1",
                    "paths (positional) = s3://prodbucket/", "--recursive", "--exclude = " + Printable.escape(value)));
            assertThat(message).as(message).contains("\nNote: the value of --exclude holds text that looks like an option");
        }
        // a 5,000-character value: cut, its length said, and the flag after it on its own line, listed first
        String longValue = "x".repeat(5000);
        String message = Consent.message(decision(List.of("aws", "--region=us-east-1", "s3", "rm", "s3://prodbucket/",
                "--exclude=" + longValue, "--recursive"), S3_RM, List.of()));
        assertThat(message.lines()).as(message).contains("Options set: --region, --exclude, --recursive.");
        assertThat(fencedBlocks(message)).containsExactly(List.of("aws s3 rm", "--region = us-east-1",
                "paths (positional) = s3://prodbucket/", "--exclude = " + "x".repeat(2048), "--recursive"));
        assertThat(message).contains("\nNote: the value of --exclude is 5000 characters long; only its first 2048 are shown.");
        // a list option: each value on its own line, numbered; and the control: plain values have no note
        message = Consent.message(decision(List.of("aws", "--region=us-east-1", "ec2", "terminate-instances",
                "--instance-ids", "i-1", "i-2"), new Classification("ec2:TerminateInstances", false, "",
                List.of("ec2:terminate-instances")), List.of()));
        assertThat(fencedBlocks(message)).containsExactly(List.of("aws ec2 terminate-instances", "--region = us-east-1",
                "--instance-ids (value 1 of 2) = i-1", "--instance-ids (value 2 of 2) = i-2"));
        assertThat(message).doesNotContain("Note:");
    }

    /** CommonMark's reading of top-level fenced code blocks: an opening run of 3+ back-ticks closes only at a line of as many or more. */
    private static List<List<String>> fencedBlocks(String message) {
        List<List<String>> blocks = new java.util.ArrayList<>();
        List<String> current = null;
        int fence = 0;
        for (String line : message.lines().toList()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(" {0,3}(`{3,})\\s*").matcher(line);
            if (current == null && line.matches(" {0,3}`{3,}[^`]*")) {
                fence = line.strip().replaceAll("[^`].*", "").length();
                current = new java.util.ArrayList<>();
            } else if (current != null && m.matches() && m.group(1).length() >= fence) {
                blocks.add(current);
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        assertThat(current).as("every fence is closed").isNull();
        return blocks;
    }

    private static List<String> outsideFences(String message) {
        List<String> out = new java.util.ArrayList<>();
        boolean inside = false;
        for (String line : message.lines().toList()) {
            if (line.startsWith("```")) {
                inside = !inside;
            } else if (!inside) {
                out.add(line);
            }
        }
        return out;
    }

    /** A session whose client can ask and answers every question with {@code answer}. */
    private static io.modelcontextprotocol.server.McpSyncServerExchange answering(McpSchema.ElicitResult answer) {
        return ElicitingClient.answering(answer, java.time.Duration.ZERO);
    }

    /**
     * Testers' F7: a form accepted without {@code confirm: true} was refused as "the user did not
     * consent to s3:rm (write) (accept)", which reads as a contradiction; it is said as what happened.
     */
    @Test
    void aFormAcceptedWithoutConfirmingIsSaidAsSuch() throws Exception {
        AwsCommandPolicy.Decision rm = decision(List.of("aws", "s3", "rm", "s3://b/k"), S3_RM, List.of());
        McpSchema.ElicitResult.Action accept = McpSchema.ElicitResult.Action.ACCEPT;

        assertThatThrownBy(() -> Consent.require(answering(new McpSchema.ElicitResult(accept, Map.of("confirm", false))), rm))
                .isInstanceOf(Refused.class).hasMessage("the user accepted the form without confirming s3:rm (write)"
                        + " ('confirm' was not true); it was not run");
        assertThatThrownBy(() -> Consent.require(answering(new McpSchema.ElicitResult(accept, Map.of())), rm))
                .isInstanceOf(Refused.class).hasMessage("the user accepted the form without confirming s3:rm (write)"
                        + " ('confirm' was not given); it was not run");
        assertThatThrownBy(() -> Consent.require(answering(new McpSchema.ElicitResult(accept, null)), rm))
                .isInstanceOf(Refused.class).hasMessageContaining("('confirm' was not given)");
        // a declined form is no consent, as before; a confirmed one is
        assertThatThrownBy(() -> Consent.require(answering(new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE,
                null)), rm)).isInstanceOf(Refused.class).hasMessage("the user did not consent to s3:rm (write) (decline);"
                + " it was not run");
        Consent.require(answering(new McpSchema.ElicitResult(accept, Map.of("confirm", true))), rm);
    }

    /**
     * MCP red team of 2026-12-06, MRT-6: a question the user left open held its call (and a slot of the call limit) for the
     * SDK's half hour, past the call's timeout: the answer is waited for as long as the call's timeout only. Control: an
     * answer within it is consent, as before.
     */
    @Test
    void aQuestionLeftOpenEndsWithTheCallsTimeout() throws Exception {
        AwsCommandPolicy.Decision rm = decision(List.of("aws", "s3", "rm", "s3://b/k"), S3_RM, List.of());
        // a user who is away
        io.modelcontextprotocol.server.McpSyncServerExchange silent = ElicitingClient.answering(null, java.time.Duration.ofMinutes(30));
        assertThatThrownBy(() -> Consent.require(silent, rm, java.time.Duration.ofSeconds(1))).isInstanceOf(Refused.class)
                .hasMessageContaining("no answer came within the call's timeout of 1 s; it was not run");
        Consent.require(answering(new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("confirm", true))),
                rm, java.time.Duration.ofSeconds(1));
    }

    /**
     * A workflow test, 2026-12-05: a stateless server (no session to ask in) said "this MCP client cannot ask", sending
     * the user to change a client that can; it says the server cannot.
     */
    @Test
    void aStatelessServerSaysItCannotAsk() throws Exception {
        AwsCommandPolicy.Decision rm = decision(List.of("aws", "s3", "rm", "s3://b/k"), S3_RM, List.of());
        assertThatThrownBy(() -> Consent.require(null, rm)).isInstanceOf(Refused.class)
                .hasMessageContaining("this server is stateless (AWS_MCP_STATELESS), so it cannot ask")
                .hasMessageNotContaining("client");
    }

    @Test
    void printableTextStaysAsItIs() {
        assertThat(Printable.escape("aws s3 ls s3://b/é/日本 --query 'a\\nb'")).isEqualTo("aws s3 ls s3://b/é/日本 --query 'a\\nb'");
        assertThat(Printable.escape("a\tb\u0000c\uD800")).isEqualTo("a\\tb\\u0000c\\ud800");
        // letters of other scripts, spacing marks and symbols stay; combining marks do not (the round 9 cost)
        assertThat(Printable.escape("Ünïcödé ελληνικά العربية 中文 한글 ✓ €")).isEqualTo("Ünïcödé ελληνικά العربية 中文 한글 ✓ €");
        // हिंदी: the spacing vowel signs stay, the anusvara (a non-spacing mark, U+0902) is escaped
        assertThat(Printable.escape("\u0939\u093f\u0902\u0926\u0940")).isEqualTo("\u0939\u093f\\u0902\u0926\u0940");
    }
}
