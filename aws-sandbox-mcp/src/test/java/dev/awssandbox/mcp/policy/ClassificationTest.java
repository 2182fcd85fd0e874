package dev.awssandbox.mcp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.HostEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Read or write, from botocore's operation names, with the documented exceptions. */
class ClassificationTest {
    private static AwsCli cli;

    @BeforeAll
    static void load() {
        Optional<Path> data = AwsCli.locate(HostEnvironment.current());
        assumeTrue(data.isPresent(), "no AWS CLI installed");
        cli = AwsCli.load(data.get());
    }

    private static Classification of(String line) throws Refused {
        return Classification.of(cli.parse(CommandLine.split(line).getFirst()));
    }

    @Test
    void operationsAreClassifiedByTheirVerb() throws Exception {
        assertThat(of("aws ec2 describe-instances").label()).isEqualTo("ec2:DescribeInstances (read)");
        assertThat(of("aws s3api list-buckets").read()).isTrue();
        assertThat(of("aws s3api get-object --bucket b --key k out").read()).isTrue();
        assertThat(of("aws s3api head-object --bucket b --key k").read()).isTrue();
        assertThat(of("aws dynamodb batch-get-item --request-items {}").read()).isTrue();
        assertThat(of("aws logs filter-log-events --log-group-name g").read()).isTrue();
        assertThat(of("aws s3api put-object --bucket b --key k").label()).isEqualTo("s3api:PutObject (write)");
        assertThat(of("aws s3api delete-object --bucket b --key k").read()).isFalse();
        assertThat(of("aws lambda invoke --function-name f out").read()).isFalse();
        assertThat(of("aws sqs receive-message --queue-url u").read()).isFalse();
        assertThat(of("aws kms decrypt --ciphertext-blob x").read()).isFalse();
        assertThat(of("aws sts get-caller-identity").read()).isTrue();
        assertThat(of("aws sts get-session-token").label()).isEqualTo("sts:GetSessionToken (write, issues credentials)");
        assertThat(of("aws ecr get-authorization-token").read()).isFalse();
        assertThat(of("aws sts decode-authorization-message --encoded-message x").read()).isTrue();
    }

    @Test
    void s3CommandsByDirection() throws Exception {
        assertThat(of("aws s3 ls").read()).isTrue();
        assertThat(of("aws s3 cp s3://b/k -").read()).isTrue();
        assertThat(of("aws s3 cp s3://b/k ./k").read()).isTrue();
        assertThat(of("aws s3 sync s3://b ./d").read()).isTrue();
        assertThat(of("aws s3 cp ./k s3://b/k").read()).isFalse();
        assertThat(of("aws s3 cp s3://a/k s3://b/k").read()).isFalse();
        assertThat(of("aws s3 sync ./d s3://b").read()).isFalse();
        assertThat(of("aws s3 mv s3://b/k ./k").read()).isFalse();
        assertThat(of("aws s3 rm s3://b/k").names()).contains("s3:rm", "s3api:delete-object");
        assertThat(of("aws s3 presign s3://b/k").label()).contains("issues credentials");
        assertThat(of("aws ec2 wait instance-running --instance-ids i-1").names())
                .containsExactly("ec2:wait", "ec2:describe-instances");
    }

    @Test
    void theVerbIsTheFirstWord() {
        assertThat(Classification.verb("DescribeInstances")).isEqualTo("Describe");
        assertThat(Classification.verb("BatchGetItem")).isEqualTo("BatchGet");
        assertThat(Classification.verb("BatchWriteItem")).isEqualTo("Batch");
        assertThat(Classification.verb("Query")).isEqualTo("Query");
    }

    @Test
    void mostOperationsOfTheModelsAreWritesAndEveryCredentialExceptionExists() {
        int reads = 0;
        int all = 0;
        for (String service : cli.models().serviceNames()) {
            for (ServiceModels.Operation op : cli.models().service(service).orElseThrow().operations().values()) {
                all++;
                if (Classification.READ_VERBS.contains(Classification.verb(op.name()))) {
                    reads++;
                }
            }
        }
        System.out.println("operations classified as reads by verb: " + reads + " of " + all);
        assertThat(reads).isBetween(all / 4, all * 2 / 3);
        for (String key : Classification.ISSUES_CREDENTIALS) {
            String[] parts = key.split(":");
            assertThat(cli.models().service(parts[0]).map(s -> s.operations().containsKey(parts[1])).orElse(false))
                    .as("%s exists in botocore's models", key).isTrue();
        }
        List<String> unused = List.of();
        assertThat(unused).isEmpty();
    }
}
