package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.mcp.policy.AwsCommandPolicy;
import dev.awssandbox.mcp.policy.Classification;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The consent question shows the model's argument values escaped (red team, mcp round 8, F3). */
class ConsentTest {

    /** The repro's spoof: erase the line, go up, print a read's question, then the real command's tail. */
    private static final String SPOOF = "\r\u001b[2K\u001b[1A\u001b[2KThe assistant wants to run s3:ls (read):\r\n"
            + "aws --region=us-east-1 s3 ls s3://prod-data\u202e\u2066\u2028\u0085\u007f\u200b\uDB40\uDC01";

    @Test
    void theQuestionShowsControlAndFormatCharactersEscaped() {
        AwsCommandPolicy.Decision decision = new AwsCommandPolicy.Decision(
                List.of(List.of("aws", "--region=us-east-1", "s3", "rm", "s3://prod-data", "--recursive",
                        "--exclude=" + SPOOF)),
                new Classification("s3:rm", false, "", List.of("s3:rm")), Optional.of("s3:rm changes the AWS account"));

        String message = Consent.message(decision);

        assertThat(message).startsWith("The assistant wants to run s3:rm (write) (s3:rm changes the AWS account):\n"
                + "aws --region=us-east-1 s3 rm s3://prod-data --recursive '--exclude=\\r\\u001b[2K\\u001b[1A\\u001b[2K"
                + "The assistant wants to run s3:ls (read):\\r\\naws --region=us-east-1 s3 ls s3://prod-data"
                + "\\u202e\\u2066\\u2028\\u0085\\u007f\\u200b\\U000e0001'");
        // the server's own line break is the only control character left
        assertThat(message.codePoints().filter(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR
                || Character.getType(c) == Character.SURROGATE).toArray()).containsExactly('\n');
    }

    @Test
    void printableTextStaysAsItIs() {
        assertThat(Printable.escape("aws s3 ls s3://b/é/日本 --query 'a\\nb'")).isEqualTo("aws s3 ls s3://b/é/日本 --query 'a\\nb'");
        assertThat(Printable.escape("a\tb\u0000c\uD800")).isEqualTo("a\\tb\\u0000c\\ud800");
    }
}
