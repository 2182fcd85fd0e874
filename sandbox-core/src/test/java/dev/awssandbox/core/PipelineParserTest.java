package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The pipeline parser: POSIX word rules for what we support, a named error for what we do not. */
class PipelineParserTest {
    private static final String ROUND_TRIP_CHARS = "ab'\"\\$|;& ~#*`()";

    @Test
    void theIssueExample() {
        Command p = Command.parse(
                "aws ec2 describe-instances --query 'Reservations[].Instances[].InstanceId' | jq -r '.[]' | sort | head -5");

        assertThat(p.argvs()).containsExactly(
                List.of("aws", "ec2", "describe-instances", "--query", "Reservations[].Instances[].InstanceId"),
                List.of("jq", "-r", ".[]"),
                List.of("sort"),
                List.of("head", "-5"));
    }

    @Test
    void quotingRules() {
        assertThat(Command.parse("echo 'a | b' \"c | d\" e\\|f").argvs())
                .containsExactly(List.of("echo", "a | b", "c | d", "e|f"));
        assertThat(Command.parse("echo 'it'\\''s' \"say \\\"hi\\\" \\\\ \\$HOME\" a\"b\"'c'").argvs())
                .containsExactly(List.of("echo", "it's", "say \"hi\" \\ $HOME", "abc"));
        assertThat(Command.parse("echo '' \"\" x").argvs()).containsExactly(List.of("echo", "", "", "x"));
        assertThat(Command.parse("  echo\ta   b  ").argvs()).containsExactly(List.of("echo", "a", "b"));
        assertThat(Command.parse("echo \"a\\nb\"").argvs()).containsExactly(List.of("echo", "a\\nb"));
        assertThat(Command.parse("jq '.[] | select(.x > 1) | $v' | grep -E 'a|b;c&&d'").argvs())
                .containsExactly(List.of("jq", ".[] | select(.x > 1) | $v"), List.of("grep", "-E", "a|b;c&&d"));
    }

    @Test
    void literalDollarsTildesHashesAndGlobs() {
        assertThat(Command.parse("echo $ a$ b~ c#d Reservations[*] *.txt ?").argvs())
                .containsExactly(List.of("echo", "$", "a$", "b~", "c#d", "Reservations[*]", "*.txt", "?"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '!', value = {
            "aws s3 ls; rm -rf x       ! ';'  ! 9",
            "aws s3 ls && echo ok      ! '&&' ! 10",
            "aws s3 ls || echo no      ! '||' ! 10",
            "aws s3 ls &               ! '&'  ! 10",
            "aws s3 ls > out.txt       ! '>'  ! 10",
            "aws s3 ls >> out.txt      ! '>>' ! 10",
            "jq . < in.json            ! '<'  ! 5",
            "cat <<EOF                 ! '<<' ! 4",
            "aws s3 ls |& cat          ! '|&' ! 10",
            "(aws s3 ls)               ! '('  ! 0",
            "echo `id`                 ! '`'  ! 5",
            "echo \"`id`\"             ! '`'  ! 6",
    })
    void shellOperatorsAreRejectedWithNameAndPosition(String input, String operator, int position) {
        assertThatThrownBy(() -> Command.parse(input.strip()))
                .isInstanceOf(Command.SyntaxException.class)
                .hasMessageContaining(operator)
                .hasMessageContaining("position " + position)
                .hasMessageContaining("without a shell")
                .satisfies(e -> assertThat(((Command.SyntaxException) e).position()).isEqualTo(position));
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo $(id)", "echo ${HOME}", "echo $HOME", "echo \"$(id)\"", "echo \"${x}\"", "echo $1", "echo $?",
            "echo $'a\\tb'", "echo $\"x\"", "echo $[1+1]"})
    void expansionsAreRejected(String input) {
        assertThatThrownBy(() -> Command.parse(input))
                .isInstanceOf(Command.SyntaxException.class)
                .hasMessageContaining("not supported")
                .hasMessageContaining("single quotes");
    }

    /**
     * Outside test WF29, F30: inside double quotes a shell prints {@code "$"} as {@code $} and {@code "$'x'"} as written;
     * both had been refused as quoting. Control: outside double quotes {@code $"x"} and {@code $'x'} are refused.
     */
    @Test
    void aDollarBeforeAQuoteInsideDoubleQuotesIsText() {
        assertThat(Command.parse("echo \"$\" \"a$\" \"$'x'\"").argvs()).containsExactly(List.of("echo", "$", "a$", "$'x'"));
        assertThatThrownBy(() -> Command.parse("echo $\"x\"")).hasMessageContaining("(shell quoting)");
        assertThatThrownBy(() -> Command.parse("echo \"$x\"")).hasMessageContaining("(variable expansion)");
    }

    /** Outside test WF30, F12: a variable is quoted whole in the refusal, as the other constructs are. */
    @Test
    void aVariableIsNamedWholeInTheRefusal() {
        assertThatThrownBy(() -> Command.parse("echo $HOME")).hasMessageContaining("'$HOME' (variable expansion) at position 5");
        assertThatThrownBy(() -> Command.parse("jq -n \"$ENV_1\" x")).hasMessageContaining("'$ENV_1' (variable expansion)");
        assertThatThrownBy(() -> Command.parse("echo a$1b")).hasMessageContaining("'$1' (variable expansion)");
        assertThatThrownBy(() -> Command.parse("echo $?")).hasMessageContaining("'$?' (variable expansion)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "| jq .", "aws s3 ls |", "aws s3 ls | | jq .", "echo 'open", "echo \"open",
            "echo x\\", "~/bin/aws s3 ls", "aws s3 cp ~/f s3://b", "aws # comment", "aws s3 ls\nrm x"})
    void malformedInputIsRejected(String input) {
        assertThatThrownBy(() -> Command.parse(input)).isInstanceOf(Command.SyntaxException.class);
    }

    /** Regression (review): a shell would expand these into several words. */
    @Test
    void braceExpansionIsRefusedButQuotedOrPlainBracesPass() {
        assertThatThrownBy(() -> Command.parse("aws s3 cp s3://b/{a,b} .")).hasMessageContaining("brace expansion");
        assertThatThrownBy(() -> Command.parse("echo {1..3}")).hasMessageContaining("brace expansion");
        assertThat(Command.parse("jq '{a,b}' | jq {} | echo {x}").argvs())
                .containsExactly(List.of("jq", "{a,b}"), List.of("jq", "{}"), List.of("echo", "{x}"));
    }

    @Test
    void emptyStageErrorsSayWhere() {
        assertThatThrownBy(() -> Command.parse("aws s3 ls | | jq ."))
                .hasMessageContaining("empty pipeline stage").hasMessageContaining("position 12");
        assertThatThrownBy(() -> Command.parse("aws s3 ls |")).hasMessageContaining("ends with '|'");
    }

    /** Property: random input never raises anything but the parse error. */
    @Test
    void randomInputOnlyEverRaisesTheParseError() {
        Random random = new Random(42);
        String alphabet = "ab |'\"\\$;&<>()`~#*?[]{}\n\t-.=";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(24);
            for (int j = 0; j < length; j++) {
                sb.append(random.nextInt(10) == 0 ? (char) random.nextInt(0x3000) : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                Command p = Command.parse(sb.toString());
                assertThat(p.argvs()).isNotEmpty().allSatisfy(stage -> assertThat(stage).isNotEmpty());
            } catch (Command.SyntaxException e) {
                assertThat(e.position()).isBetween(0, Math.max(0, sb.length()));
            } catch (RuntimeException e) {
                fail("input " + sb + " raised " + e);
            }
        }
    }

    /** Property: quoting any argv and parsing it back gives the same argv. */
    @Test
    void quotingRoundTrips() {
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            List<List<String>> stages = new ArrayList<>();
            int stageCount = 1 + random.nextInt(4);
            for (int s = 0; s < stageCount; s++) {
                List<String> argv = new ArrayList<>();
                int words = 1 + random.nextInt(5);
                for (int w = 0; w < words; w++) {
                    StringBuilder word = new StringBuilder();
                    int length = random.nextInt(8);
                    for (int c = 0; c < length; c++) {
                        word.append(random.nextInt(6) == 0 ? (char) (1 + random.nextInt(0x2FFF))
                                : ROUND_TRIP_CHARS.charAt(random.nextInt(ROUND_TRIP_CHARS.length())));
                    }
                    String arg = word.toString().replace("\n", "").replace("\r", "");
                    argv.add(w == 0 && arg.isEmpty() ? "x" : arg); // a program has a name

                }
                stages.add(argv);
            }
            Command original = Command.pipeline(stages);
            assertThat(Command.parse(original.toCommandLine())).isEqualTo(original);
        }
    }
}
