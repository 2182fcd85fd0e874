package dev.awssandbox.mcp;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Task prompts (slash commands in clients) for the tasks people bring to an AWS assistant: the same
 * tasks, names and arguments as the reference server's, in our own words. Every prompt starts with
 * read-only discovery through the resources and {@code aws_cli_help}, uses only what this server
 * runs (one {@code aws} command per call, filters after {@code |}, no shell), and asks the user
 * before anything that changes the account.
 */
final class AwsPrompts {
    /** Longest argument value accepted: prompts take names and short phrases. */
    static final int MAX_ARGUMENT = 200;

    /**
     * The preamble of every prompt, with this server's filters, and its read-only mode and deny rules where it has them:
     * a prompt had offered filters and calls the policy then refused (outside test WF29, F22).
     */
    private static String start(dev.awssandbox.mcp.policy.PolicyConfig config) {
        return "Work with the aws-sandbox tools. Begin read-only: read the resources aws://config/environment"
                + " (region and where credentials come from) and aws://config/account (account id and alias), and"
                + " use aws_cli_help SERVICE COMMAND whenever you are unsure of a command or its parameters. Run one"
                + " AWS CLI command per aws_cli_pipeline call; shape the output with --query and --output, or pipe"
                + " it into " + String.join(", ", config.filters()) + " (this server's filters). There is no shell: no"
                + " $(...), &&, ;, xargs or loops, so make one call per item instead."
                + (config.readOnly() ? " This server is read-only: only operations that read are allowed." : "")
                + (config.deny().isEmpty() ? "" : " The server's policy refuses these operations: "
                        + String.join(", ", config.deny()) + "; leave them out.")
                + "\n";
    }

    private static final String READ_ONLY = """

            This task only reads. Change nothing: report what you found, and for each problem the command that \
            would fix it, for the user to decide.
            """;

    private static final String CHANGES = """

            Change nothing until the discovery is done. Then show the user the exact commands you propose, what \
            each creates or changes and what it will cost, and run them only once the user agrees; use --dry-run \
            where the service has it (EC2). The server may be read-only or ask the user to confirm a change: a \
            refusal says so. Finish by reading back what you created to verify it.
            """;

    /** One argument: its name, what it is, whether it must be given, and the value used when it is not. */
    record Arg(String name, String description, boolean required, String fallback) {
        static Arg required(String name, String description) {
            return new Arg(name, description, true, "");
        }

        static Arg optional(String name, String description, String fallback) {
            return new Arg(name, description + " (default: " + fallback + ")", false, fallback);
        }
    }

    /** A prompt: {@code {arg}} in its body is replaced by the argument's value; it reads only, or may change things. */
    record Def(String name, String title, String description, List<Arg> args, String body, boolean changes) {}

    static final List<Def> ALL = List.of(
            new Def("create_resource", "Create a resource", "Plan and create an AWS resource with secure defaults"
                    + " (encryption, no public access, tags, least privilege), after checking what exists",
                    List.of(Arg.required("resource_type", "what to create, e.g. s3-bucket, ec2-instance, lambda,"
                                    + " dynamodb-table, sqs-queue"),
                            Arg.required("resource_name", "its name")),
                    """
                    Goal: create a {resource_type} named "{resource_name}" the way a careful operator would.

                    1. Discover: does something named {resource_name} already exist (e.g. \
                    aws s3api head-bucket --bucket {resource_name}, aws ec2 describe-instances --filters \
                    Name=tag:Name,Values={resource_name}, aws lambda get-function --function-name {resource_name})? \
                    Which region will it land in? Which VPC, subnets, roles or keys would it depend on, and do they exist?
                    2. Plan the create command and the hardening that goes with it: encryption at rest (KMS where \
                    it matters), no public access (S3 Block Public Access, no 0.0.0.0/0 ingress), tags Name, \
                    Environment and Owner, an IAM role with only the actions it needs, logging where the service has it.
                    3. Give the plan as numbered steps: each command with one line on why.
                    """, true),
            new Def("security_audit", "Security audit of a service", "Find security problems in one service: public"
                    + " exposure, missing encryption, broad permissions, stale credentials, logging gaps",
                    List.of(Arg.required("service", "the service to audit, e.g. s3, ec2, iam, rds, lambda")),
                    """
                    Goal: a security audit of {service} in this account and region.

                    List the {service} resources first, then check each for: public exposure (S3 Block Public \
                    Access and bucket policies, security groups open to 0.0.0.0/0 or ::/0, PubliclyAccessible \
                    databases, public snapshots and AMIs), encryption at rest and in transit, IAM policies that \
                    allow "*" actions or resources, access keys unused or older than 90 days (aws iam \
                    list-access-keys, aws iam get-access-key-last-used), and whether logging is on (CloudTrail, \
                    access logs, flow logs). Example for EC2: aws ec2 describe-security-groups --query \
                    'SecurityGroups[?IpPermissions[?IpRanges[?CidrIp==`0.0.0.0/0`]]].[GroupId,GroupName]' \
                    --output table.

                    Report the findings grouped by severity (high, medium, low), each with the resource, the \
                    command that showed it, and the fix.
                    """, false),
            new Def("cost_optimization", "Cost optimization", "Find where a service costs more than it needs to:"
                    + " idle, oversized, unattached or untagged resources",
                    List.of(Arg.required("service", "the service to look at, e.g. ec2, rds, s3, lambda, ebs")),
                    """
                    Goal: find savings in {service}.

                    Look for resources that cost money and do little: stopped instances with attached volumes, \
                    unattached EBS volumes (aws ec2 describe-volumes --filters Name=status,Values=available), \
                    unassociated Elastic IPs, old snapshots, idle load balancers, databases with low CPU for weeks \
                    (aws cloudwatch get-metric-statistics with explicit --start-time and --end-time dates), S3 \
                    buckets without lifecycle rules, oversized instance types, and resources without cost tags. \
                    Where Cost Explorer is enabled, aws ce get-cost-and-usage with fixed dates (e.g. \
                    --time-period Start=2025-01-01,End=2025-02-01) shows what {service} costs.

                    Report each finding with the resource, why it looks wasteful, a rough monthly saving, and the \
                    command that would act on it (for the user to decide).
                    """, false),
            new Def("resource_inventory", "Resource inventory", "List every resource of a service with its key"
                    + " attributes, in one region or all",
                    List.of(Arg.required("service", "e.g. ec2, s3, rds, lambda, dynamodb"),
                            Arg.optional("region", "a region, or 'all'", "all")),
                    """
                    Goal: an inventory of {service} resources (region: {region}).

                    If the region is 'all', take the region list from the resource aws://config/regions (or aws ec2 \
                    describe-regions --query 'Regions[].RegionName' --output text) and make one call per region \
                    with --region. Use the describe or list command of {service} with --query to keep the columns \
                    that matter: id, name tag, type or size, state, creation date, e.g. aws ec2 \
                    describe-instances --query \
                    'Reservations[].Instances[].[InstanceId,InstanceType,State.Name,Tags[?Key==`Name`]|[0].Value]' \
                    --output table. Follow pagination (--max-items with --starting-token) when the output says \
                    it is truncated.

                    Present one table per region, then totals by type and state.
                    """, false),
            new Def("troubleshoot_service", "Troubleshoot a resource", "Diagnose a failing or misbehaving resource:"
                    + " state, recent events, metrics, logs, network and permissions",
                    List.of(Arg.required("service", "e.g. ec2, rds, lambda, ecs"),
                            Arg.required("resource_id", "the resource's id or name")),
                    """
                    Goal: find out why {service} resource {resource_id} is not working.

                    Go from the most to the least likely cause, reading only: its state and status checks (e.g. \
                    aws ec2 describe-instance-status --instance-ids {resource_id}, aws rds describe-db-instances \
                    --db-instance-identifier {resource_id}, aws lambda get-function --function-name \
                    {resource_id}); recent events (aws rds describe-events, aws ecs describe-services, \
                    CloudTrail lookup-events with --lookup-attributes AttributeKey=ResourceName,AttributeValue=\
                    {resource_id}); its CloudWatch metrics and log groups (aws logs filter-log-events --log-group-name \
                    NAME --limit 50); the network path (security groups, route tables, NACLs); and the IAM role it \
                    runs with.

                    Conclude with the most likely cause, the evidence for it, and the fix.
                    """, false),
            new Def("iam_policy_generator", "Least-privilege IAM policy", "Write a least-privilege IAM policy for"
                    + " the actions a workload needs, checked against the service's real action names",
                    List.of(Arg.required("service", "the service, e.g. s3, dynamodb, sqs"),
                            Arg.required("actions", "the actions needed, comma-separated, e.g. GetObject,PutObject"),
                            Arg.optional("resource_pattern", "the resources, as an ARN pattern", "*")),
                    """
                    Goal: a least-privilege IAM policy allowing {service} actions {actions} on {resource_pattern}.

                    Check that each action exists and which resource types and condition keys it supports \
                    (aws_cli_help for the operations; the IAM documentation for the action list). Narrow the \
                    Resource to specific ARNs rather than "*" wherever the action allows it, and add conditions \
                    that fit (aws:SourceVpc, aws:RequestedRegion, aws:PrincipalTag). If a role already exists, \
                    read what it has (aws iam list-attached-role-policies, aws iam list-role-policies). Check the \
                    draft with aws iam simulate-custom-policy --policy-input-list file://policy.json \
                    --action-names ... (write policy.json in the workspace first).

                    Give the policy JSON, what each statement allows, and the command that would attach it.
                    """, true),
            new Def("service_monitoring", "Set up monitoring", "Set up CloudWatch alarms and notifications for a"
                    + " service's key metrics",
                    List.of(Arg.required("service", "e.g. ec2, rds, lambda, sqs"),
                            Arg.optional("metric_type", "what to watch: performance, errors, availability or cost",
                                    "performance")),
                    """
                    Goal: {metric_type} monitoring for {service}.

                    First see what exists: the resources (their ids become alarm dimensions), the alarms already \
                    there (aws cloudwatch describe-alarms --query 'MetricAlarms[].[AlarmName,MetricName,StateValue]' \
                    --output table), the metrics {service} publishes (aws cloudwatch list-metrics --namespace \
                    AWS/NAME) and the SNS topics that could receive alerts. Then propose alarms with thresholds \
                    grounded in the recent values (aws cloudwatch get-metric-statistics over the last two weeks, \
                    with explicit dates), e.g. aws cloudwatch put-metric-alarm --alarm-name NAME --namespace \
                    AWS/EC2 --metric-name CPUUtilization --dimensions Name=InstanceId,Value=ID --statistic Average \
                    --period 300 --evaluation-periods 3 --threshold 80 --comparison-operator \
                    GreaterThanThreshold --alarm-actions TOPIC_ARN.
                    """, true),
            new Def("disaster_recovery", "Backups and disaster recovery", "Check and set up backups, retention and"
                    + " cross-region copies to meet a recovery point objective",
                    List.of(Arg.required("service", "e.g. rds, dynamodb, ec2, s3, efs"),
                            Arg.optional("recovery_point_objective", "how much data may be lost", "1 hour")),
                    """
                    Goal: {service} can be restored with at most {recovery_point_objective} of data lost.

                    Read the current state: automated backups and retention (aws rds describe-db-instances \
                    --query 'DBInstances[].[DBInstanceIdentifier,BackupRetentionPeriod]'), point-in-time recovery \
                    (aws dynamodb describe-continuous-backups --table-name NAME), snapshots and their age, AWS \
                    Backup plans (aws backup list-backup-plans), S3 versioning and replication. Compare each with \
                    the objective: a recovery point objective under a day needs continuous backup or replication; \
                    a regional outage needs a copy in another region.

                    Propose the changes that close the gaps, and a restore test the user can run.
                    """, true),
            new Def("compliance_check", "Compliance check", "Check resources against a compliance standard using"
                    + " Security Hub, AWS Config and direct reads",
                    List.of(Arg.required("compliance_standard", "e.g. CIS AWS Foundations, PCI DSS, HIPAA, SOC 2"),
                            Arg.optional("service", "a service, or 'all'", "all")),
                    """
                    Goal: where {service} falls short of {compliance_standard}.

                    Use what the account already evaluates: Security Hub (aws securityhub \
                    get-enabled-standards; aws securityhub get-findings --filters \
                    '{"ComplianceStatus":[{"Value":"FAILED","Comparison":"EQUALS"}]}' --max-items 50) and AWS \
                    Config rules (aws configservice describe-compliance-by-config-rule --compliance-types \
                    NON_COMPLIANT). Where neither is enabled, check the controls directly: encryption, logging \
                    (CloudTrail on in every region), network exposure, MFA and password policy (aws iam \
                    get-account-summary, aws iam get-account-password-policy).

                    Report the non-compliant resources grouped by control, with the evidence and the fix.
                    """, false),
            new Def("resource_cleanup", "Clean up unused resources", "Find unused resources, back them up, and"
                    + " remove them with the user's consent",
                    List.of(Arg.required("service", "e.g. ec2, ebs, ami, elb, s3, lambda"),
                            Arg.optional("criteria", "what counts as removable: unused, old, untagged, stopped", "unused")),
                    """
                    Goal: remove {criteria} {service} resources safely.

                    List candidates with the evidence that they are {criteria}: unattached volumes, snapshots of \
                    deleted volumes, AMIs no instance or launch template uses, load balancers without healthy \
                    targets, functions without invocations for 90 days (CloudWatch Invocations). Check each for \
                    dependencies and for tags that say keep. Present the list with age, size and monthly cost.

                    For what the user chooses: a backup or snapshot first where data could be lost, a --dry-run \
                    where the service has one, then the delete, one resource per call.
                    """, true),
            new Def("serverless_deployment", "Deploy a serverless application", "Deploy a Lambda function with its"
                    + " role, and an API or table when it needs them",
                    List.of(Arg.required("application_name", "the application's name"),
                            Arg.optional("runtime", "the Lambda runtime", "python3.12")),
                    """
                    Goal: deploy "{application_name}" on Lambda ({runtime}).

                    Discover first: existing functions, roles and APIs of that name (aws lambda get-function \
                    --function-name {application_name}; aws iam get-role --role-name {application_name}-role), \
                    and the runtimes available. The deployment package must be a file in the server's workspace \
                    (e.g. downloaded with aws s3 cp s3://BUCKET/KEY ./app.zip), passed as fileb://app.zip. Plan: \
                    an execution role with only AWSLambdaBasicExecutionRole and what the code needs; the function \
                    (aws lambda create-function --function-name {application_name} --runtime {runtime} --handler \
                    app.handler --role ROLE_ARN --zip-file fileb://app.zip); an HTTP API or a DynamoDB table only \
                    if asked for. Verify with aws lambda invoke --function-name {application_name} out.json and \
                    read ./out.json.
                    """, true),
            new Def("container_orchestration", "Container cluster", "Set up an ECS (Fargate) or EKS cluster with its"
                    + " roles, networking and a first service",
                    List.of(Arg.required("cluster_name", "the cluster's name"),
                            Arg.optional("service_type", "fargate, ec2 or eks", "fargate")),
                    """
                    Goal: a {service_type} cluster named "{cluster_name}".

                    Read what exists: clusters (aws ecs list-clusters, aws eks list-clusters), the VPC and \
                    private subnets to use, the task execution role (aws iam get-role --role-name \
                    ecsTaskExecutionRole), container images (aws ecr describe-repositories). For ECS on Fargate \
                    the plan is: aws ecs create-cluster --cluster-name {cluster_name}, a task definition from a \
                    JSON file in the workspace (file://task.json), a service with a desired count in private \
                    subnets behind a load balancer. For EKS: aws eks create-cluster with its role and subnets, \
                    then a managed node group or a Fargate profile (eksctl and kubectl are not available here).
                    """, true),
            new Def("vpc_network_design", "VPC design", "Design and create a VPC with public and private subnets"
                    + " across availability zones",
                    List.of(Arg.required("vpc_name", "the VPC's name tag"),
                            Arg.optional("cidr_block", "the VPC's CIDR block", "10.0.0.0/16")),
                    """
                    Goal: a VPC "{vpc_name}" with CIDR {cidr_block}.

                    Read first: existing VPCs and their CIDRs, to avoid overlaps with peered networks (aws ec2 \
                    describe-vpcs --query 'Vpcs[].[VpcId,CidrBlock,Tags[?Key==`Name`]|[0].Value]' --output table), \
                    and the availability zones of the region (resource aws://config/regions/REGION, or aws ec2 \
                    describe-availability-zones). Plan in dependency order: the VPC, two public and two private \
                    subnets in different zones carved from {cidr_block}, an internet gateway, a NAT gateway per \
                    zone (or one, to save cost), route tables and their associations, flow logs. Each create \
                    command returns an id the next needs: run them one by one and carry the ids forward.
                    """, true),
            new Def("infrastructure_automation", "Automate operations", "Automate patching, deployment or scaling"
                    + " with Systems Manager, EventBridge or Auto Scaling",
                    List.of(Arg.required("resource_type", "what to automate, e.g. ec2 instances, ecs services"),
                            Arg.optional("automation_scope", "patching, deployment, scaling or backup", "deployment")),
                    """
                    Goal: {automation_scope} automation for {resource_type}.

                    Read first: which instances are managed by Systems Manager (aws ssm \
                    describe-instance-information), existing maintenance windows, associations and documents \
                    (aws ssm list-documents --filters Key=Owner,Values=Self), EventBridge rules (aws events \
                    list-rules) and scaling targets (aws application-autoscaling describe-scalable-targets \
                    --service-namespace ecs). Then propose the automation: a maintenance window with a patch \
                    baseline for patching; an SSM association or document for deployment; target tracking for \
                    scaling; with the IAM role it runs as and a notification on failure. Definitions go in \
                    workspace files passed as file://NAME.
                    """, true),
            new Def("security_posture_assessment", "Account security posture", "An account-wide security"
                    + " assessment across identity, network, data and logging", List.of(),
                    """
                    Goal: the security posture of this whole account.

                    Identity: root account MFA and access keys (aws iam get-account-summary), users without MFA, \
                    old access keys (aws iam generate-credential-report, then aws iam get-credential-report \
                    --query Content --output text, which is base64: decode it with jq -r '@base64d'), policies \
                    granting "*". Detection: GuardDuty (aws guardduty list-detectors, then list-findings), Security \
                    Hub findings of high severity, CloudTrail in all regions (aws cloudtrail describe-trails). \
                    Network: security groups open to the internet, public subnets with sensitive workloads. \
                    Data: public buckets, unencrypted volumes and databases, public snapshots.

                    Report by category (identity, detection, network, data), highest severity first.
                    """, false),
            new Def("performance_tuning", "Performance tuning", "Analyse a resource's metrics and recommend"
                    + " right-sizing and configuration changes",
                    List.of(Arg.required("service", "e.g. ec2, rds, lambda, dynamodb"),
                            Arg.required("resource_id", "the resource's id or name")),
                    """
                    Goal: tune {service} resource {resource_id}.

                    Read its configuration (size, class, memory, provisioned capacity), then two weeks of metrics \
                    with explicit times, e.g. aws cloudwatch get-metric-statistics --namespace AWS/EC2 \
                    --metric-name CPUUtilization --dimensions Name=InstanceId,Value={resource_id} --start-time \
                    2025-01-01T00:00:00Z --end-time 2025-01-15T00:00:00Z --period 3600 --statistics Average \
                    Maximum. Look at CPU, memory where published, I/O and throttling, latency and errors, and \
                    for Lambda duration against the timeout and concurrency. Compute Optimizer (aws \
                    compute-optimizer get-ec2-instance-recommendations) may already have advice.

                    Recommend changes with the evidence for each and the command that would apply it.
                    """, true),
            new Def("multi_account_governance", "Multi-account governance", "Review or set up AWS Organizations:"
                    + " organizational units, service control policies, delegated security services",
                    List.of(Arg.optional("account_type", "organization (the management account) or member", "organization")),
                    """
                    Goal: multi-account governance, seen from this {account_type} account.

                    Read the structure first: aws organizations describe-organization, list-roots, \
                    list-organizational-units-for-parent, list-accounts, list-policies --filter \
                    SERVICE_CONTROL_POLICY, and which services have trusted access (aws organizations \
                    list-aws-service-access-for-organization). A member account sees little of this: say so \
                    rather than guess. Compare with a common layout: Security, Infrastructure, Workloads and \
                    Sandbox units; service control policies that deny leaving the organization, disabling \
                    CloudTrail or GuardDuty, and using unapproved regions; a delegated administrator for \
                    Security Hub, GuardDuty and Config; centralized CloudTrail logs.

                    Propose the changes, each with the command and its effect on the member accounts.
                    """, true));

    private AwsPrompts() {}

    static List<McpServerFeatures.SyncPromptSpecification> specifications(dev.awssandbox.mcp.policy.PolicyConfig config) {
        List<McpServerFeatures.SyncPromptSpecification> specs = new ArrayList<>();
        for (Def def : ALL) {
            McpSchema.Prompt prompt = McpSchema.Prompt.builder(def.name()).title(def.title()).description(def.description())
                    .arguments(def.args().stream().map(a -> McpSchema.PromptArgument.builder(a.name())
                            .description(a.description()).required(a.required()).build()).toList())
                    .build();
            specs.add(new McpServerFeatures.SyncPromptSpecification(prompt, (exchange, request) -> get(def, request.arguments(),
                    config)));
        }
        return specs;
    }

    /** The prompt's text for these arguments; a missing or malformed one is an invalid-params error. */
    static McpSchema.GetPromptResult get(Def def, Map<String, Object> arguments, dev.awssandbox.mcp.policy.PolicyConfig config) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Arg arg : def.args()) {
            Object given = arguments == null ? null : arguments.get(arg.name());
            String value = given == null ? "" : String.valueOf(given).strip();
            if (value.isEmpty()) {
                if (arg.required()) {
                    throw invalid("prompt " + def.name() + " needs the argument '" + arg.name() + "' (" + arg.description() + ")");
                }
                value = arg.fallback();
            }
            if (value.length() > MAX_ARGUMENT || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw invalid("prompt " + def.name() + ": '" + arg.name() + "' must be one line of at most " + MAX_ARGUMENT
                        + " characters");
            }
            values.put(arg.name(), value);
        }
        if (arguments != null) {
            for (String name : arguments.keySet()) {
                if (def.args().stream().noneMatch(a -> a.name().equals(name))) {
                    throw invalid("prompt " + def.name() + " has no argument '" + name + "'; it takes: "
                            + (def.args().isEmpty() ? "none" : String.join(", ", def.args().stream().map(Arg::name).toList())));
                }
            }
        }
        String body = def.body();
        for (Map.Entry<String, String> e : values.entrySet()) {
            body = body.replace("{" + e.getKey() + "}", e.getValue());
        }
        String text = start(config) + "\n" + markDenied(body, config) + (def.changes() ? CHANGES : READ_ONLY);
        return McpSchema.GetPromptResult.builder(List.of(McpSchema.PromptMessage.builder(McpSchema.Role.USER,
                McpSchema.TextContent.builder(text).build()).build())).description(def.description()).build();
    }

    /** An example command in a prompt's text: {@code aws iam list-access-keys}. */
    private static final java.util.regex.Pattern EXAMPLE = java.util.regex.Pattern.compile("\\baws ([a-z0-9-]+) ([a-z0-9-]+)");

    /**
     * {@code body} with each example command the server's deny rules refuse marked as such: the preamble had said "leave
     * them out" and the body then named them (outside test WF30, F13).
     */
    private static String markDenied(String body, dev.awssandbox.mcp.policy.PolicyConfig config) {
        if (config.deny().isEmpty()) {
            return body;
        }
        return EXAMPLE.matcher(body).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group()
                + (config.denies(m.group(1), m.group(2)) ? " [refused by this server's policy: leave it out]" : "")));
    }

    private static McpError invalid(String message) {
        return new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS, message, null));
    }
}
