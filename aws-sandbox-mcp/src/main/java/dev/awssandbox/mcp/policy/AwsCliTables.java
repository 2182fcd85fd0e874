package dev.awssandbox.mcp.policy;

import dev.awssandbox.mcp.policy.ArgParse.Nargs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Facts about the AWS CLI v1's command line that are not in botocore's service models: its global
 * options (read from the installed {@code awscli/data/cli.json} when present), the parameters it
 * renames ({@code awscli/customizations/argrename.py}), the parameters whose {@code http://} value
 * it does not download ({@code awscli/paramfile.py}), and the {@code s3} and {@code configure}
 * commands it adds. The tests compare each with the installed AWS CLI.
 */
final class AwsCliTables {
    private AwsCliTables() {}

    /**
     * A table of this package's resources, two columns apart by spaces, a row a line ({@code #}
     * starts a comment line): the name tables copied from the AWS CLI and botocore (here and in
     * {@link CliNames}) are data, compared row by row with their source, not code. A missing file,
     * a malformed row or a key written twice fails the class's initialisation.
     */
    static Map<String, String> twoColumns(String resource) {
        List<String> lines;
        try (java.io.InputStream in = AwsCliTables.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the table " + resource + " is missing from the build");
            }
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the table " + resource, e);
        }
        Map<String, String> table = new java.util.HashMap<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.strip().split(" +");
            if (columns.length != 2) {
                throw new IllegalStateException(resource + ": not a row of two columns: '" + line + "'");
            }
            if (table.putIfAbsent(columns[0], columns[1]) != null) {
                throw new IllegalStateException(resource + ": " + columns[0] + " is written twice");
            }
        }
        return Map.copyOf(table);
    }

    /**
     * An option or positional of a command that is not generated from a model.
     *
     * @param name     {@code --name}, or a positional's name
     * @param nargs    how many words it takes
     * @param append   repeatable, every occurrence kept in order ({@code --exclude}); otherwise the last one wins
     * @param dest     the destination it shares with others ({@code --no-progress} and {@code --progress})
     * @param choices  allowed values (empty: any)
     */
    record Arg(String name, Nargs nargs, boolean append, String dest, Set<String> choices) {
        static Arg value(String name) {
            return new Arg(name, Nargs.ONE, false, dest(name), Set.of());
        }

        static Arg flag(String name) {
            return new Arg(name, Nargs.ZERO, false, dest(name), Set.of());
        }

        static Arg flag(String name, String dest) {
            return new Arg(name, Nargs.ZERO, false, dest, Set.of());
        }

        static Arg choice(String name, Nargs nargs, String... choices) {
            return new Arg(name, nargs, false, dest(name), Set.of(choices));
        }

        static Arg of(String name, Nargs nargs) {
            return new Arg(name, nargs, false, dest(name), Set.of());
        }

        static Arg append(String name, Nargs nargs) {
            return new Arg(name, nargs, true, dest(name), Set.of());
        }

        static Arg positional(String name, Nargs nargs) {
            return new Arg(name, nargs, false, name, Set.of());
        }

        boolean positional() {
            return !name.startsWith("--");
        }

        private static String dest(String name) {
            return name.startsWith("--") ? name.substring(2) : name;
        }
    }

    /** The global options of AWS CLI 1.45 ({@code awscli/data/cli.json}), used when that file cannot be read. */
    static final List<Arg> GLOBALS = List.of(
            Arg.flag("--debug"),
            Arg.value("--endpoint-url"),
            Arg.flag("--no-verify-ssl", "verify_ssl"),
            Arg.flag("--no-paginate", "paginate"),
            Arg.choice("--output", Nargs.ONE, "json", "text", "table"),
            Arg.value("--query"),
            Arg.value("--profile"),
            Arg.value("--region"),
            Arg.flag("--version"),
            Arg.choice("--color", Nargs.ONE, "on", "off", "auto"),
            Arg.flag("--no-sign-request", "sign_request"),
            Arg.value("--ca-bundle"),
            Arg.value("--cli-read-timeout"),
            Arg.value("--cli-connect-timeout"),
            Arg.flag("--v2-debug"));

    /** CLI service names that differ from botocore's: CLI name to botocore name. */
    static final Map<String, String> SERVICE_RENAMES = Map.of(
            "s3api", "s3",
            "configservice", "config",
            "deploy", "codedeploy",
            "runtime.sagemaker", "sagemaker-runtime");

    /** botocore names that are not a CLI command of their own name (renamed above). */
    static final Set<String> RENAMED_AWAY = Set.of("s3", "config", "codedeploy");

    /**
     * Model parameters the AWS CLI offers under another name: {@code service.operation.option}
     * (operation may be {@code *}) to the new option name, without dashes
     * ({@code awscli/customizations/argrename.py}).
     */
    static final Map<String, String> ARGUMENT_RENAMES = AwsCliTables.twoColumns("argument-renames.txt");

    /**
     * Parameters ({@code endpoint-prefix.operation.option}, or {@code custom.command.option}) whose
     * {@code http(s)://} value the AWS CLI passes on as it is instead of downloading it.
     */
    static final Set<String> PARAMFILE_DISABLED = Set.of(
            "api-gateway.create-api.target",
            "api-gateway.create-integration.integration-uri",
            "api-gateway.put-integration.uri",
            "api-gateway.update-api.target",
            "api-gateway.update-integration.integration-uri",
            "appstream.create-stack.feedback-url",
            "appstream.create-stack.redirect-url",
            "appstream.update-stack.feedback-url",
            "appstream.update-stack.redirect-url",
            "cloudformation.create-change-set.template-url",
            "cloudformation.create-stack-set.template-url",
            "cloudformation.create-stack.stack-policy-url",
            "cloudformation.create-stack.template-url",
            "cloudformation.estimate-template-cost.template-url",
            "cloudformation.get-template-summary.template-url",
            "cloudformation.register-type.schema-handler-package",
            "cloudformation.set-stack-policy.stack-policy-url",
            "cloudformation.update-stack-set.template-url",
            "cloudformation.update-stack.stack-policy-during-update-url",
            "cloudformation.update-stack.stack-policy-url",
            "cloudformation.update-stack.template-url",
            "cloudformation.validate-template.template-url",
            "comprehend.batch-detect-dominant-language.text-list",
            "comprehend.batch-detect-entities.text-list",
            "comprehend.batch-detect-key-phrases.text-list",
            "comprehend.batch-detect-sentiment.text-list",
            "comprehend.detect-dominant-language.text",
            "comprehend.detect-entities.text",
            "comprehend.detect-key-phrases.text",
            "comprehend.detect-sentiment.text",
            "custom.cp.website-redirect",
            "custom.deploy.template-file",
            "custom.mv.website-redirect",
            "custom.package.template-file",
            "custom.sync.website-redirect",
            "emr.create-studio.idp-auth-url",
            "guardduty.create-ip-set.location",
            "guardduty.create-threat-intel-set.location",
            "guardduty.update-ip-set.location",
            "guardduty.update-threat-intel-set.location",
            "iam.create-open-id-connect-provider.url",
            "iot.create-job.document-source",
            "machine-learning.predict.predict-endpoint",
            "mediatailor.put-playback-configuration.ad-decision-server-url",
            "mediatailor.put-playback-configuration.slate-ad-url",
            "mediatailor.put-playback-configuration.video-content-source-url",
            "rds.copy-db-cluster-snapshot.pre-signed-url",
            "rds.copy-db-snapshot.pre-signed-url",
            "rds.create-db-cluster.pre-signed-url",
            "rds.create-db-instance-read-replica.pre-signed-url",
            "s3.copy-object.website-redirect-location",
            "s3.create-multipart-upload.website-redirect-location",
            "s3.put-object.website-redirect-location",
            "sagemaker.create-notebook-instance.additional-code-repositories",
            "sagemaker.create-notebook-instance.default-code-repository",
            "sagemaker.update-notebook-instance.additional-code-repositories",
            "sagemaker.update-notebook-instance.default-code-repository",
            "serverlessapplicationrepository.create-application-version.source-code-url",
            "serverlessapplicationrepository.create-application-version.template-url",
            "serverlessapplicationrepository.create-application.home-page-url",
            "serverlessapplicationrepository.create-application.license-url",
            "serverlessapplicationrepository.create-application.readme-url",
            "serverlessapplicationrepository.create-application.source-code-url",
            "serverlessapplicationrepository.create-application.template-url",
            "serverlessapplicationrepository.update-application.home-page-url",
            "serverlessapplicationrepository.update-application.readme-url",
            "service-catalog.create-product.support-url",
            "service-catalog.update-product.support-url",
            "ses.create-custom-verification-email-template.failure-redirection-url",
            "ses.create-custom-verification-email-template.success-redirection-url",
            "ses.put-account-details.website-url",
            "ses.update-custom-verification-email-template.failure-redirection-url",
            "ses.update-custom-verification-email-template.success-redirection-url",
            "sns.subscribe.notification-endpoint",
            "sqs.add-permission.queue-url",
            "sqs.change-message-visibility-batch.queue-url",
            "sqs.change-message-visibility.queue-url",
            "sqs.delete-message-batch.queue-url",
            "sqs.delete-message.queue-url",
            "sqs.delete-queue.queue-url",
            "sqs.get-queue-attributes.queue-url",
            "sqs.list-dead-letter-source-queues.queue-url",
            "sqs.list-queue-tags.queue-url",
            "sqs.purge-queue.queue-url",
            "sqs.receive-message.queue-url",
            "sqs.remove-permission.queue-url",
            "sqs.send-message-batch.queue-url",
            "sqs.send-message.queue-url",
            "sqs.set-queue-attributes.queue-url",
            "sqs.tag-queue.queue-url",
            "sqs.untag-queue.queue-url",
            "translate.translate-text.text",
            "workdocs.create-notification-subscription.notification-endpoint");
    private static final List<Arg> TRANSFER_COMMON = List.of(
            Arg.flag("--dryrun"), Arg.flag("--quiet"),
            Arg.append("--include", Nargs.ONE), Arg.append("--exclude", Nargs.ONE));

    private static final String[] ACLS = {"private", "public-read", "public-read-write", "authenticated-read",
        "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write"};
    private static final String[] STORAGE_CLASSES = {"STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
        "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR"};
    private static final String[] CHECKSUMS = {"CRC64NVME", "CRC32", "SHA256", "SHA1", "CRC32C", "SHA512", "XXHASH64",
        "XXHASH3", "XXHASH128"};

    /** The options cp, mv and sync share after the common ones. */
    private static final List<Arg> TRANSFER = List.of(
            Arg.choice("--acl", Nargs.ONE, ACLS),
            Arg.flag("--follow-symlinks", "follow_symlinks"), Arg.flag("--no-follow-symlinks", "follow_symlinks"),
            Arg.flag("--no-guess-mime-type", "guess_mime_type"),
            Arg.choice("--sse", Nargs.OPTIONAL, "AES256", "aws:kms"),
            Arg.choice("--sse-c", Nargs.OPTIONAL, "AES256"),
            Arg.value("--sse-c-key"), Arg.value("--sse-kms-key-id"),
            Arg.choice("--sse-c-copy-source", Nargs.OPTIONAL, "AES256"),
            Arg.value("--sse-c-copy-source-key"),
            Arg.choice("--storage-class", Nargs.ONE, STORAGE_CLASSES),
            Arg.of("--grants", Nargs.ONE_OR_MORE),
            Arg.value("--website-redirect"), Arg.value("--content-type"), Arg.value("--cache-control"),
            Arg.value("--content-disposition"), Arg.value("--content-encoding"), Arg.value("--content-language"),
            Arg.value("--expires"), Arg.value("--source-region"),
            Arg.flag("--only-show-errors"), Arg.flag("--no-progress", "progress"),
            Arg.value("--page-size"), Arg.flag("--ignore-glacier-warnings"), Arg.flag("--force-glacier-transfer"),
            Arg.choice("--request-payer", Nargs.OPTIONAL, "requester"),
            Arg.choice("--checksum-mode", Nargs.ONE, "ENABLED"),
            Arg.choice("--checksum-algorithm", Nargs.ONE, CHECKSUMS),
            Arg.value("--metadata"), Arg.choice("--metadata-directive", Nargs.ONE, "COPY", "REPLACE"));

    private static final Arg CASE_CONFLICT = Arg.choice("--case-conflict", Nargs.ONE, "ignore", "skip", "warn", "error");

    private static List<Arg> concat(List<Arg> first, List<Arg> second, Arg... more) {
        List<Arg> all = new ArrayList<>(first);
        all.addAll(second);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }

    /** The {@code aws s3} commands: each one's arguments (positionals first, in order). */
    static final Map<String, List<Arg>> S3_COMMANDS = Map.of(
            "ls", List.of(Arg.positional("paths", Nargs.OPTIONAL), Arg.flag("--recursive"), Arg.value("--page-size"),
                    Arg.flag("--human-readable"), Arg.flag("--summarize"),
                    Arg.choice("--request-payer", Nargs.OPTIONAL, "requester"), Arg.value("--bucket-name-prefix"),
                    Arg.value("--bucket-region")),
            "website", List.of(Arg.positional("paths", Nargs.ONE), Arg.value("--index-document"),
                    Arg.value("--error-document")),
            "cp", concat(List.of(Arg.positional("paths", Nargs.TWO)), concat(TRANSFER_COMMON, TRANSFER),
                    Arg.value("--expected-size"), Arg.flag("--recursive"), CASE_CONFLICT),
            "mv", concat(List.of(Arg.positional("paths", Nargs.TWO)), concat(TRANSFER_COMMON, TRANSFER),
                    Arg.flag("--recursive"), Arg.flag("--validate-same-s3-paths"), CASE_CONFLICT),
            "rm", concat(List.of(Arg.positional("paths", Nargs.ONE)), TRANSFER_COMMON, Arg.flag("--recursive"),
                    Arg.choice("--request-payer", Nargs.OPTIONAL, "requester"), Arg.flag("--only-show-errors"),
                    Arg.value("--page-size")),
            "sync", concat(List.of(Arg.positional("paths", Nargs.TWO)), concat(TRANSFER_COMMON, TRANSFER),
                    Arg.flag("--delete"), Arg.flag("--exact-timestamps"), Arg.flag("--size-only"), CASE_CONFLICT),
            "mb", List.of(Arg.positional("path", Nargs.ONE), Arg.append("--tags", Nargs.TWO)),
            "rb", List.of(Arg.positional("path", Nargs.ONE), Arg.flag("--force")),
            "presign", List.of(Arg.positional("path", Nargs.ONE), Arg.value("--expires-in")));

    private static List<Arg> list(Arg... args) {
        return List.of(args);
    }

    private static final List<Arg> SECURITY_GROUP_RULE = list(Arg.value("--protocol"), Arg.value("--port"),
            Arg.value("--cidr"), Arg.value("--source-group"), Arg.value("--group-owner"));
    private static final List<Arg> SOURCE_REGION = list(Arg.value("--source-region"));
    private static final List<Arg> IMAGE_BYTES = list(Arg.value("--image-bytes"));

    /**
     * Options the AWS CLI's customizations add to model operations ({@code service:operation}),
     * modelled here because they are common; their values get the same file and URL rules as any
     * other. Options of other customizations are refused.
     */
    static final Map<String, List<Arg>> EXTRA_ARGS = Stream.of(
            Stream.of(
                    Map.entry("ec2:run-instances", list(Arg.value("--count"), Arg.of("--secondary-private-ip-addresses",
                                    Nargs.ZERO_OR_MORE), Arg.value("--secondary-private-ip-address-count"),
                            Arg.flag("--associate-public-ip-address"),
                            Arg.flag("--no-associate-public-ip-address", "no-associate-public-ip-address"))),
                    Map.entry("lambda:create-function", list(Arg.value("--zip-file"))),
                    Map.entry("lambda:publish-layer-version", list(Arg.value("--zip-file"))),
                    Map.entry("cloudwatch:put-metric-data", list(Arg.value("--metric-name"), Arg.value("--timestamp"),
                            Arg.value("--unit"), Arg.value("--value"), Arg.value("--dimensions"),
                            Arg.value("--statistic-values"), Arg.value("--storage-resolution"))),
                    Map.entry("cloudfront:create-invalidation", list(Arg.of("--paths", Nargs.ONE_OR_MORE))),
                    Map.entry("cloudfront:create-distribution", list(Arg.value("--origin-domain-name"),
                            Arg.value("--default-root-object"))),
                    Map.entry("cloudfront:update-distribution", list(Arg.value("--default-root-object"))),
                    Map.entry("rekognition:compare-faces", list(Arg.value("--source-image-bytes"),
                            Arg.value("--target-image-bytes")))),
            eachOf(SECURITY_GROUP_RULE, "ec2:authorize-security-group-ingress", "ec2:authorize-security-group-egress",
                    "ec2:revoke-security-group-ingress", "ec2:revoke-security-group-egress"),
            eachOf(SOURCE_REGION, "rds:copy-db-snapshot", "rds:copy-db-cluster-snapshot", "rds:create-db-cluster",
                    "rds:create-db-instance-read-replica", "rds:start-db-instance-automated-backups-replication",
                    "docdb:copy-db-cluster-snapshot", "docdb:create-db-cluster",
                    "neptune:copy-db-cluster-snapshot", "neptune:create-db-cluster"),
            eachOf(IMAGE_BYTES, "rekognition:detect-custom-labels", "rekognition:detect-faces",
                    "rekognition:detect-labels", "rekognition:detect-moderation-labels",
                    "rekognition:detect-protective-equipment", "rekognition:detect-text", "rekognition:index-faces",
                    "rekognition:recognize-celebrities", "rekognition:search-faces-by-image"))
            .flatMap(entries -> entries)
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue)); // fails on a key twice

    /** The same extra options for each of several operations (one customization serves them all). */
    private static Stream<Map.Entry<String, List<Arg>>> eachOf(List<Arg> args, String... operations) {
        return Stream.of(operations).map(operation -> Map.entry(operation, args));
    }

    /** Model options a customization removes or replaces ({@code service:operation:--option}). */
    static final Set<String> REMOVED_ARGS = Set.of(
            "cloudsearch:define-index-field:--index-field",
            "datapipeline:put-pipeline-definition:--pipeline-objects",
            "ec2:run-instances:--min-count", "ec2:run-instances:--max-count",
            "ses:send-email:--source");

    /** Operations to which a customization adds an option named {@code outfile} (no --cli-input-json then). */
    static final Set<String> OUTFILE_OPTION = Set.of("iam:create-virtual-mfa-device");

    /** Model options whose number of words a customization changes ({@code service:operation:--option}). */
    static final Map<String, Nargs> NARGS_OVERRIDES = Map.of(
            "datapipeline:activate-pipeline:--parameter-values", Nargs.ONE_OR_MORE,
            "datapipeline:put-pipeline-definition:--parameter-objects", Nargs.ONE,
            "datapipeline:put-pipeline-definition:--parameter-values", Nargs.ONE_OR_MORE,
            "emr:add-tags:--tags", Nargs.ONE_OR_MORE,
            "emr:list-clusters:--cluster-states", Nargs.ONE_OR_MORE);

    /**
     * Parameters whose value botocore or the AWS CLI uses as the endpoint of the request
     * ({@code service:operation} to option names): botocore's {@code switch_host_machinelearning}
     * sends {@code machinelearning predict} to the host of {@code --predict-endpoint}. A test finds
     * every handler of the installed botocore and AWS CLI that changes a request's host and compares.
     */
    static final Map<String, Set<String>> ENDPOINT_PARAMETERS = Map.of(
            "machinelearning:predict", Set.of("--predict-endpoint"));

    /** The {@code aws configure} subcommands allowed: they show no secret. */
    static final Map<String, List<Arg>> CONFIGURE_COMMANDS = Map.of("list", List.of());
}
