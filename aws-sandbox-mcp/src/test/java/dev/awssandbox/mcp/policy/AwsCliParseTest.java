package dev.awssandbox.mcp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.HostEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Whole AWS CLI command lines: what we parse is what the installed AWS CLI parses, and the
 * canonical argv we run is read by the AWS CLI exactly as the original (the AWS CLI is the oracle).
 */
class AwsCliParseTest {
    private static AwsCli cli;

    @BeforeAll
    static void load() {
        Optional<Path> data = AwsCli.locate(HostEnvironment.current());
        assumeTrue(data.isPresent(), "no AWS CLI installed");
        cli = AwsCli.load(data.get());
    }

    private static List<String> words(String commandLine) throws Refused {
        return CommandLine.split(commandLine).getFirst();
    }

    /** Lines the AWS CLI accepts and that parse here too. */
    private static final List<String> ACCEPTED = List.of(
            "aws s3 cp s3://b/k -",
            "aws s3 cp s3://b/k ./local.txt --quiet",
            "aws s3 cp s3://b/k /proc/self/root/home/u/.aws/cli/cache/x.json",
            "aws s3 sync . s3://b/p --exclude '*.tmp' --include 'a*' --exclude b --delete",
            "aws s3 ls --region eu-west-1 --output json",
            "aws s3 ls s3://b --recursive --human --summ",
            "aws s3 mb s3://b --tags k v --tags k2 v2",
            "aws s3 rb s3://b --force",
            "aws s3api get-object --bucket b --key k out.txt",
            "aws s3api get-object --bucket b --key k -",
            "aws s3api get-object out.txt --bucket=b --key=k",
            "aws s3api put-object --bucket b --key k --body f.txt --metadata '{\"a\":\"b\"}'",
            "aws s3api put-object --bucket b --key k --body '~root/.aws/credentials'",
            "aws s3api list-objects --buck b --pre x",
            "aws s3api list-objects-v2 --bucket b --max-items 3 --page-size 2",
            "aws --endpoint http://127.0.0.2:5000 s3 ls",
            "aws --endpoint-u=http://127.0.0.2:5000 s3 ls",
            "aws s3 ls --endpoint=http://127.0.0.2:5000",
            "aws s3api list-buckets --end http://127.0.0.2:5000",
            "aws s3api put-object --bucket b --key=--endpoint-url=http://evil --body f",
            "aws --p dev sts get-caller-identity",
            "aws sts get-caller-identity --profile=dev --region=us-east-2",
            "aws ec2 describe-instances --filters 'file://$HOME/.aws/credentials'",
            "aws ec2 describe-instances --filters 'file:///nonexistent/$AWS_SECRET_ACCESS_KEY'",
            "aws ec2 describe-instances --filters Name=tag:Name,Values=x --query 'Reservations[].Instances[].InstanceId' --output text",
            "aws ec2 describe-instances --instance-ids i-1 i-2 --dry-run",
            "aws ec2 describe-instances --no-dry-run --max-items 5",
            "aws ec2 run-instances --image-id ami-1 --count 2 --instance-type t3.micro",
            "aws ec2 modify-instance-attribute --instance-id i-1 --disable-api-termination",
            "aws ec2 wait instance-running --instance-ids i-1",
            "aws dynamodb put-item --table-name t --item '{\"a\":{\"S\":\"b\"}}'",
            "aws iam list-users --max-items 5",
            "aws logs filter-log-events --log-group-name g --filter-pattern ERROR",
            "aws lambda invoke --function-name f out.json",
            "aws lambda create-function --function-name f --runtime python3.12 --role r --handler h --zip-file fileb://f.zip",
            "aws sns subscribe --topic-arn arn --protocol https --notification-endpoint https://example.com/hook",
            "aws sqs send-message --queue-url https://sqs.us-east-1.amazonaws.com/1/q --message-body hi",
            "aws configure list",
            "aws --version",
            "aws s3api list-buckets --debug",
            "aws --no-verify s3 ls",
            "aws --no-p s3api list-buckets");

    @Test
    void acceptedLinesParseAsTheAwsCliParsesThemAndTheCanonicalArgvReadsTheSame() throws Exception {
        try (AwsCliOracle oracle = AwsCliOracle.start()) {
            for (String line : ACCEPTED) {
                List<String> argv = words(line);
                AwsCommand parsed = cli.parse(argv);
                List<String> canonical = parsed.argv();
                JsonNode original = oracle.parse(argv.subList(1, argv.size()));
                JsonNode again = oracle.parse(canonical.subList(1, canonical.size()));
                if (parsed.kind() == AwsCommand.Kind.VERSION) {
                    assertThat(canonical).containsExactly("aws", "--version");
                    continue;
                }
                if (parsed.kind() == AwsCommand.Kind.CONFIGURE) {
                    assertThat(canonical).containsExactly("aws", "configure", "list");
                    continue;
                }
                assertThat(original.path("kind").asString()).as("the AWS CLI parses %s: %s", line, original)
                        .isIn("operation", "custom");
                assertThat(again.path("params")).as("%s\n  canonical %s", line, canonical).isEqualTo(original.path("params"));
                assertThat(again.path("globals")).as("%s\n  canonical %s", line, canonical).isEqualTo(original.path("globals"));
                // what we decided on is what the AWS CLI will use
                JsonNode g = original.path("globals");
                if (parsed.global("--endpoint-url").isPresent()) {
                    assertThat(parsed.global("--endpoint-url").get()).as(line).isEqualTo(g.path("endpoint_url").asString());
                } else { // the AWS CLI may pin an AWS endpoint itself (awscli/customizations/overridesslcommonname.py)
                    assertThat(g.path("endpoint_url").isNull() || g.path("endpoint_url").asString().contains(".amazonaws.com"))
                            .as("%s: %s", line, g.path("endpoint_url")).isTrue();
                }
                assertThat(parsed.global("--region").orElse(null)).as(line)
                        .isEqualTo(g.path("region").isNull() ? null : g.path("region").asString());
                assertThat(parsed.global("--profile").orElse(null)).as(line)
                        .isEqualTo(g.path("profile").isNull() ? null : g.path("profile").asString());
                assertThat(parsed.hasGlobal("--debug")).as(line).isEqualTo(g.path("debug").booleanValue());
                for (AwsCommand.Word w : parsed.options()) {
                    String py = w.name().substring(2).replace('-', '_');
                    JsonNode theirs = original.path("params").path(py);
                    if (w.nargs() == ArgParse.Nargs.ONE && !theirs.isMissingNode() && theirs.isString()) {
                        assertThat(theirs.asString()).as("%s %s", line, w.name()).isEqualTo(w.values().getFirst());
                    }
                }
            }
        }
    }

    @Test
    void theCanonicalArgvUsesFullNamesAndAttachedValues() throws Exception {
        assertThat(cli.parse(words("aws s3api list-buckets --end http://h:1 --p dev")).argv())
                .containsExactly("aws", "--endpoint-url=http://h:1", "--profile=dev", "s3api", "list-buckets");
        assertThat(cli.parse(words("aws s3api get-object --buck b --key k out.txt --reg us-east-1")).argv())
                .containsExactly("aws", "--region=us-east-1", "s3api", "get-object", "out.txt", "--bucket=b", "--key=k");
        assertThat(cli.parse(words("aws s3 sync . s3://b --exclude a --include b --exclude c")).argv())
                .containsExactly("aws", "s3", "sync", ".", "s3://b", "--exclude=a", "--include=b", "--exclude=c");
    }

    /** Lines the AWS CLI rejects (or that run things not modelled here): refused before anything runs. */
    @Test
    void ambiguousUnknownAndUnmodelledLinesAreRefused() throws Exception {
        try (AwsCliOracle oracle = AwsCliOracle.start()) {
            for (String line : List.of("aws --no s3 ls", "aws s3api list-objects-v2 --bucket b --max 3",
                    "aws s3api list-buckets --bogus", "aws s3api get-object --bucket b --key k", "aws --debug=1 s3 ls",
                    "aws s3api put-object --bucket b --key --endpoint-url=http://evil --body f")) {
                List<String> argv = words(line);
                assertThatThrownBy(() -> cli.parse(argv)).as(line).isInstanceOf(Refused.class);
                JsonNode theirs = oracle.parse(argv.subList(1, argv.size()));
                assertThat(theirs.path("kind").asString()).as("the AWS CLI rejects %s too: %s", line, theirs)
                        .isIn("exit", "returned");
                assertThat(theirs.path("rc").asInt()).as(line).isNotZero();
            }
        }
        for (String line : List.of("aws --region us-east-1 configure get aws_secret_access_key", "aws configure",
                "aws configure set region x", "aws history list", "aws ssm start-session --target i-1",
                "aws ecs execute-command --cluster c --task t --command sh --interactive", "aws s3api help",
                "aws ec2 get-password-data --instance-id i-1 --priv-launch-key k.pem",
                "aws iam create-virtual-mfa-device --virtual-mfa-device-name m --outfile /tmp/x --bootstrap-method QRCodePNG",
                "aws cloudformation package --template-file t.yml --s3-bucket b", "aws s3 cp a b -- c",
                "aws codeartifact login --tool npm --domain d --repository r", "aws eks update-kubeconfig --name c")) {
            assertThatThrownBy(() -> cli.parse(words(line))).as(line).isInstanceOf(Refused.class);
        }
    }

    @Test
    void abbreviationsOfTheEndpointAreTheEndpoint() throws Exception {
        for (String line : List.of("aws --endpoint http://127.0.0.2:1 s3 ls", "aws --endpoint-u=http://127.0.0.2:1 s3 ls",
                "aws s3 ls --endpoint=http://127.0.0.2:1", "aws s3api list-buckets --end http://127.0.0.2:1",
                "aws s3api list-buckets --endpoint-url http://127.0.0.2:1", "aws --e http://127.0.0.2:1 s3 ls")) {
            assertThat(cli.parse(words(line)).global("--endpoint-url")).as(line).contains("http://127.0.0.2:1");
        }
        List<AwsCommand.Word> noEndpoint = new ArrayList<>(cli.parse(words("aws s3 ls")).globals());
        assertThat(noEndpoint).isEmpty();
    }
}
