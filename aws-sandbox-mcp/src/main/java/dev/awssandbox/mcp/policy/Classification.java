package dev.awssandbox.mcp.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a command only reads the AWS account. It fails closed: an operation reads only when the
 * evidence says so, everything else writes.
 *
 * <ul>
 *   <li>an operation reads when its name starts with a reading verb ({@link #READ_VERBS}:
 *       Describe, List, Get, Head, Search, Lookup, Scan, Query, Select, BatchGet, Filter, Check,
 *       Validate, Estimate, Preview, Simulate, View, Discover, Retrieve) and nothing says otherwise:
 *       <ol>
 *         <li>it is not one of the {@link #ISSUES_CREDENTIALS}, {@link #CHANGES_STATE}, {@link #ACTS}
 *             (runs other code or acts on another system: appconfig's ValidateConfiguration) or
 *             {@link #RETURNS_SECRETS} (kafkaconnect's worker properties);</li>
 *         <li>its HTTP method (REST protocols) is not PUT, DELETE or PATCH;</li>
 *         <li>its documentation does not call it a long poll (which takes work, such as a task);</li>
 *         <li>its output has no member that the model marks sensitive and that names a secret
 *             ({@code SecretAccessKey}, {@code SessionToken}, {@code DbPassword}, {@code EmbedUrl},
 *             key material such as {@code PreSharedKey}, a whole device configuration, …:
 *             {@link ServiceModels#secretOutput}), and no string member that is a password, a
 *             pre-signed URL or a shared or private key, marked or not
 *             ({@link ServiceModels#grantsAccess}, {@link ServiceModels#keyMaterialAnyway});</li>
 *         <li>its name has none of the {@link #SUSPECT_WORDS} (Credential, Token, Password, Url,
 *             Access, Verif, Login, Session, Federation, Embed, …), other than in the spans that
 *             {@link #EXCUSES} explain, each with its reason;</li>
 *       </ol>
 *       and, per command, it gives none of the {@link #SIDE_EFFECTS} parameters
 *       ({@code ec2 get-console-screenshot --wake-up}) and picks no value of the
 *       {@link #SECRET_CHOICES} that returns a secret ({@code ec2 describe-instance-attribute
 *       --attribute userData}) and sets none of the {@link #SECRET_FLAGS} that let a secret into the
 *       answer ({@code ssm get-parameter --with-decryption}, {@code glue get-connection} without
 *       {@code --hide-password});</li>
 *   <li>everything else writes (Create, Put, Delete, Update, Send, Invoke, Start, Receive — which
 *       hides the message —, Decrypt, Verify, …): unknown means write;</li>
 *   <li>{@code s3}: {@code ls} reads; {@code cp}/{@code sync} read when they download (the
 *       destination is local or {@code -}) and write when they upload or copy; {@code mv},
 *       {@code rm}, {@code mb}, {@code rb}, {@code website} write; {@code presign} hands out a URL
 *       that grants access, so it counts as issuing credentials;</li>
 *   <li>a waiter reads when the operation it calls does, or when that operation only returns
 *       secrets (a waiter prints no response); {@code configure list} and {@code --version} read.</li>
 * </ul>
 *
 * <p>botocore's {@code readonly} operation trait is not used: few services have it, and it marks
 * operations that change state ({@code ivs StartViewerSessionRevocation}).
 *
 * @param name     for results and messages: {@code s3api:PutObject}, {@code s3:cp}
 * @param read     whether it only reads
 * @param reason   why it is not a read, when it is not ({@code issues credentials})
 * @param names    every {@code service:command} name policy patterns are matched against (an s3
 *                 command also matches the s3api operations it performs; a waiter its operation)
 * @param readInstead when an option of this command made a read a write, how the same operation reads
 *                 ({@code "drop --with-decryption"}), for read-only mode's refusal to advise that rather
 *                 than other operations (testers' F9)
 */
public record Classification(String name, boolean read, String reason, List<String> names,
                             java.util.Optional<String> readInstead) {
    public Classification {
        names = List.copyOf(names);
        java.util.Objects.requireNonNull(readInstead, "readInstead");
    }

    /** A classification that no option of the command decided. */
    public Classification(String name, boolean read, String reason, List<String> names) {
        this(name, read, reason, names, java.util.Optional.empty());
    }

    static final Set<String> READ_VERBS = Set.of("Describe", "List", "Get", "Head", "Search", "Lookup", "Scan",
            "Query", "Select", "BatchGet", "Filter", "Check", "Validate", "Estimate", "Preview", "Simulate", "View",
            "Discover", "Retrieve");

    /** Operations that hand out credentials ({@code service:Operation}, botocore's names): writes, labelled so. */
    static final Set<String> ISSUES_CREDENTIALS = Set.of(
            "sts:GetSessionToken", "sts:GetFederationToken", "sts:GetWebIdentityToken",
            "ecr:GetAuthorizationToken", "ecr-public:GetAuthorizationToken", "codeartifact:GetAuthorizationToken",
            "redshift:GetClusterCredentials", "redshift:GetClusterCredentialsWithIAM",
            "redshift-serverless:GetCredentials", "sso:GetRoleCredentials",
            "cognito-identity:GetCredentialsForIdentity", "cognito-identity:GetOpenIdToken",
            "cognito-identity:GetOpenIdTokenForDeveloperIdentity", "cognito-identity:GetId",
            "lightsail:GetInstanceAccessDetails", "lightsail:GetRelationalDatabaseMasterUserPassword",
            "ec2:GetPasswordData", "sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
            "sts:AssumeRoot", "iam:CreateAccessKey", "iam:CreateServiceSpecificCredential",
            "iam:ResetServiceSpecificCredential", "iam:CreateLoginProfile",
            // read verbs whose names and outputs do not give them away
            "route53domains:RetrieveDomainAuthCode", "snowball:GetJobUnlockCode", "iot:GetRegistrationCode",
            "apigateway:GetApiKey", "apigateway:GetApiKeys", "apigateway:GetUsagePlanKey",
            "apigateway:GetUsagePlanKeys", "appsync:ListApiKeys", "codepipeline:GetJobDetails",
            "codepipeline:GetThirdPartyJobDetails", "managedblockchain:GetAccessor");

    /** Operations with reading names that change state ({@code service:Operation}). */
    static final Set<String> CHANGES_STATE = Set.of(
            "stepfunctions:GetActivityTask", // takes the task: no other worker gets it
            "license-manager:CheckInLicense",
            "apigatewayv2:PreviewPortal", // creates a portal preview
            "devops-agent:ValidateAwsAssociations", // sets the association's status
            "storagegateway:RetrieveTapeArchive", "storagegateway:RetrieveTapeRecoveryPoint",
            "qconnect:GetRecommendations", "wisdom:GetRecommendations", // returned recommendations are removed
            "waf:GetChangeToken", "waf-regional:GetChangeToken",
            // generate with a foundation model and keep a conversation session, as InvokeModel does
            "bedrock-agent-runtime:RetrieveAndGenerate", "bedrock-agent-runtime:RetrieveAndGenerateStream",
            // re-attack of 2026-12-05, R2-F2a, c, d: stores the media in a bucket or sends it to a URL the caller gives;
            // produces a report; stores a template in a bucket; requests a sampling quota
            "socialmessaging:GetWhatsAppMessageMedia", "inspector:GetAssessmentReport",
            "ec2:GetFlowLogsIntegrationTemplate", "xray:GetSamplingTargets",
            // MCP red team of 2026-12-05, R3-4: "also creates an ARN", "generates a pre-paid UPS shipping label"
            "controltower:ListLandingZones", "importexport:GetShippingLabel");

    /**
     * Operations with reading names whose documented purpose runs other code or acts on another
     * system ({@code service:Operation} → what it does): writes (red team, round 6).
     */
    static final Map<String, String> ACTS = Map.of(
            "appconfig:ValidateConfiguration", "runs code: the profile's validators, which can be Lambda functions",
            "ecr:ValidatePullThroughCacheRule", "acts on another system: signs in to the upstream registry with the"
                    + " rule's secret");

    /**
     * Reads whose output holds secrets that no name rule tells apart from content the caller stored
     * and reads ({@code service:Operation} → what it returns): writes, labelled so. The model marks
     * the member sensitive, but so it does the bare {@code Configuration} of ssm's patch sources.
     */
    static final Map<String, String> RETURNS_SECRETS = Map.ofEntries(
            // re-attack of 2026-12-05, R2-F2b, c, e: links and secrets the documentation gives away only beside them
            Map.entry("partnercentral-account:GetVerification", "CompletionUrl: a secure URL that completes the"
                    + " verification, until it expires"),
            Map.entry("inspector2:GetCisScanReport", "url: a link to download the report"),
            Map.entry("imagebuilder:GetMarketplaceResource", "url: an obfuscated S3 URL to download the resource"),
            Map.entry("serverlessrepo:GetCloudFormationTemplate", "TemplateUrl: a link to the template, for an hour"),
            Map.entry("athena:GetResourceDashboard", "Url: a link to the session's dashboard"),
            Map.entry("medialive:DescribeChannel", "EncoderSettings…HlsAkamaiSettings.Salt: the Akamai token"
                    + " authentication salt"),
            Map.entry("chime:GetUser", "User.PersonalPIN: the user's personal meeting PIN"),
            Map.entry("chime:ListUsers", "Users[].PersonalPIN: the users' personal meeting PINs"),
            Map.entry("kafkaconnect:DescribeWorkerConfiguration", "latestRevision.propertiesFileContent: the worker's"
                    + " connect-distributed.properties, whose settings can hold secrets (a schema registry's basic-auth"
                    + " user info, a config provider's parameters)"),
            Map.entry("mwaa:GetEnvironment", "Environment.AirflowConfigurationOptions: Apache Airflow settings, set as"
                    + " environment variables of its containers, which can hold secrets (an SMTP password, a secrets"
                    + " backend's parameters)"),
            Map.entry("cloudcontrol:GetResource", "ResourceDescription.Properties: any resource's properties, among them"
                    + " a launch template's user data and a function's environment variables"),
            Map.entry("cloudcontrol:ListResources", "ResourceDescriptions[].Properties: any resource's properties, among"
                    + " them a launch template's user data and a function's environment variables"),
            Map.entry("cloudcontrol:GetResourceRequestStatus", "ProgressEvent.ResourceModel: the resource's properties"
                    + " and their values"),
            Map.entry("cloudcontrol:ListResourceRequests", "ResourceRequestStatusSummaries[].ResourceModel: the"
                    + " resources' properties and their values"),
            // MCP red team of 2026-12-06, MRT-4: AWS Config's configuration items carry a resource's whole recorded
            // configuration, the same properties Cloud Control returns, for one resource, across the account, across an
            // organization
            Map.entry("config:GetResourceConfigHistory", "configurationItems[].configuration: a resource's recorded"
                    + " configuration, among them a launch template's user data and a task definition's environment"),
            Map.entry("config:BatchGetResourceConfig", "baseConfigurationItems[].configuration: the resources' recorded"
                    + " configurations, among them user data and environment variables"),
            Map.entry("config:SelectResourceConfig", "Results: any recorded resource's configuration the query selects,"
                    + " across the account"),
            Map.entry("config:GetAggregateResourceConfig", "ConfigurationItem.configuration: a resource's recorded"
                    + " configuration, in any account of the aggregator"),
            Map.entry("config:BatchGetAggregateResourceConfig", "BaseConfigurationItems[].configuration: the resources'"
                    + " recorded configurations, in any account of the aggregator"),
            Map.entry("config:SelectAggregateResourceConfig", "Results: any recorded resource's configuration the query"
                    + " selects, across the organization"),
            // MRT-5's addendum: the IaC generator's template is built from the scanned resources' live properties
            Map.entry("cloudformation:GetGeneratedTemplate", "TemplateBody: a template of the scanned resources' live"
                    + " properties, among them functions' environment variables and launch templates' user data"),
            Map.entry("firehose:DescribeDeliveryStream", "a Splunk destination's HECToken, which lets anyone send"
                    + " events to that Splunk endpoint"),
            Map.entry("pinpoint:GetGcmChannel", "GCMChannelResponse.Credential: the Firebase Cloud Messaging server"
                    + " key or credentials"),
            Map.entry("pinpoint:GetBaiduChannel", "BaiduChannelResponse.Credential: the Baidu Cloud Push API key"),
            Map.entry("gamelift:GetPlayerConnectionDetails", "PlayerConnectionDetails[].PlayerGatewayToken: the access"
                    + " token a game client authenticates to the player gateway with"),
            Map.entry("marketplace-agreement:GetAgreementEntitlements", "agreementEntitlements[].registrationToken: the"
                    + " token that registers an account with the product's seller"),
            Map.entry("wickr:ListUsers", "users[].inviteCode: the code a user registers with to join the network"),
            Map.entry("wickr:ListSecurityGroupUsers", "users[].inviteCode: the code a user registers with to join the"
                    + " network"),
            // red team, round 46, F8: the headers EventBridge sends an API destination or API Gateway target (pipes'
            // DescribePipe, which the model marks, was a write already)
            Map.entry("events:ListTargetsByRule", "Targets[].HttpParameters.HeaderParameters: the headers a target is"
                    + " sent with (an Authorization or API key header)"),
            // mcp round 8: an IoT rule's actions authenticate to other systems with what the model does not mark
            Map.entry("iot:GetTopicRule", "rule.actions[]: a Salesforce action's token, an HTTP action's headers"
                    + " (an Authorization or API key header), a Kafka action's client properties (SASL settings)"),
            Map.entry("elasticbeanstalk:DescribeConfigurationSettings", "ConfigurationSettings[].OptionSettings: the"
                    + " environment properties (namespace aws:elasticbeanstalk:application:environment), the application's"
                    + " environment variables"),
            Map.entry("kinesisanalyticsv2:DescribeApplication", "EnvironmentPropertyDescriptions: the application's"
                    + " runtime properties, its environment, where its secrets are passed"),
            Map.entry("kinesisanalyticsv2:DescribeApplicationVersion", "EnvironmentPropertyDescriptions: the"
                    + " application's runtime properties, its environment, where its secrets are passed"),
            Map.entry("sagemaker:DescribeNotebookInstanceLifecycleConfig", "OnCreate[].Content, OnStart[].Content: the"
                    + " scripts every notebook instance runs at creation and start, as user data"),
            Map.entry("sagemaker:DescribeStudioLifecycleConfig", "StudioLifecycleConfigContent: the script every"
                    + " Studio app runs at start, as user data"));

    /**
     * An input member whose documented effect is more than shaping the answer: given (a boolean:
     * set true), the operation writes.
     *
     * @param member  the model member ({@code WakeUp})
     * @param effect  what it does, for the label
     */
    record SideEffect(String member, String effect) {
        /** The AWS CLI's option for it ({@code --wake-up}). */
        String option() {
            return "--" + CliNames.of(member);
        }
    }

    /**
     * Parameters of reads that send input, start a process or run code ({@code service:Operation}):
     * found by going over the documentation of every boolean input member of a read
     * (ClassificationTest fails on one that says it acts and is neither here nor reviewed as a read),
     * and by reading the inputs of the Validate, Check and Discover operations.
     */
    static final Map<String, SideEffect> SIDE_EFFECTS = Map.of(
            "ec2:GetConsoleScreenshot", new SideEffect("WakeUp", "sends keystroke input to wake the instance"),
            "iam:GetDelegationRequest", new SideEffect("DelegationPermissionCheck", "starts a permission check"),
            "kinesisanalytics:DiscoverInputSchema", new SideEffect("InputProcessingConfiguration",
                    "runs its Lambda function on the sample records"),
            "kinesisanalyticsv2:DiscoverInputSchema", new SideEffect("InputProcessingConfiguration",
                    "runs its Lambda function on the sample records"));

    /**
     * An input member of a read that picks what the answer holds, one value of which is a secret
     * the model does not mark: with that value, the read returns secrets.
     *
     * @param member  the model member ({@code Attribute})
     * @param value   the value that returns the secret ({@code userData})
     * @param secret  what it returns, for the label
     */
    record SecretChoice(String member, String value, String secret) {
        /** The AWS CLI's option for it ({@code --attribute}). */
        String option() {
            return "--" + CliNames.of(member);
        }

        /**
         * Whether the command surely picks another value: the option's value (the AWS CLI keeps
         * the last) is a plain word and not the secret one in any case. Not so for {@code UserData}
         * or {@code USERDATA} (the service may not mind the case), a value the AWS CLI reads from a
         * file or URL ({@code file://a}), one with a space, or {@code --cli-input-json}, which can
         * set it unseen.
         */
        boolean picksAnother(AwsCommand command) {
            if (command.options().stream().anyMatch(w -> w.name().equals("--cli-input-json"))) {
                return false;
            }
            java.util.Optional<String> picked = command.options().stream().filter(w -> w.name().equals(option()))
                    .reduce((first, last) -> last).flatMap(w -> w.values().stream().findFirst());
            return picked.filter(v -> v.matches("[A-Za-z]+") && !v.equalsIgnoreCase(value)).isPresent();
        }
    }

    /**
     * A boolean input member of a read that decides whether the answer holds a secret: with
     * {@code hides} false, the read returns secrets when it is given ({@code --with-decryption}); with
     * {@code hides} true, unless it is given ({@code glue get-connection --hide-password}).
     *
     * @param member  the model member ({@code WithDecryption})
     * @param hides   whether giving it keeps the secret out of the answer
     * @param secret  what it returns, for the label
     */
    record SecretFlag(String member, boolean hides, String secret) {
        /** The AWS CLI's option for it ({@code --with-decryption}). */
        String option() {
            return "--" + CliNames.of(member);
        }

        /**
         * Whether the command gets the secret: for a flag that reveals, when it is given or
         * {@code --cli-input-json} could give it; for a flag that hides, unless the option is the
         * last of it and its {@code --no-…} form (the AWS CLI's own options win over
         * {@code --cli-input-json}).
         */
        boolean reveals(AwsCommand command) {
            if (!hides) {
                return given(command, option());
            }
            boolean hidden = false;
            for (AwsCommand.Word w : command.options()) {
                if (w.name().equals(option())) {
                    hidden = true;
                } else if (w.name().equals("--no-" + option().substring(2))) {
                    hidden = false;
                }
            }
            return !hidden;
        }
    }

    /** Reads that return secrets with a flag given, or without one ({@code service:Operation}). */
    static final Map<String, SecretFlag> SECRET_FLAGS = Map.ofEntries(
            Map.entry("ssm:GetParameter", new SecretFlag("WithDecryption", false,
                    "the plaintext of SecureString parameters")),
            Map.entry("ssm:GetParameters", new SecretFlag("WithDecryption", false,
                    "the plaintext of SecureString parameters")),
            Map.entry("ssm:GetParametersByPath", new SecretFlag("WithDecryption", false,
                    "the plaintext of SecureString parameters")),
            Map.entry("ssm:GetParameterHistory", new SecretFlag("WithDecryption", false,
                    "the plaintext of SecureString parameters")),
            Map.entry("logs:GetLogEvents", new SecretFlag("unmask", false,
                    "the log data that a data protection policy masks as sensitive")),
            Map.entry("logs:FilterLogEvents", new SecretFlag("unmask", false,
                    "the log data that a data protection policy masks as sensitive")),
            Map.entry("logs:GetLogRecord", new SecretFlag("unmask", false,
                    "the log data that a data protection policy masks as sensitive")),
            Map.entry("logs:GetLogObject", new SecretFlag("unmask", false,
                    "the log data that a data protection policy masks as sensitive")),
            Map.entry("glue:GetConnection", new SecretFlag("HidePassword", true,
                    "the connection's password and other credentials in ConnectionProperties")),
            Map.entry("glue:GetConnections", new SecretFlag("HidePassword", true,
                    "the connections' passwords and other credentials in ConnectionProperties")));

    /**
     * A statement parameter of a read whose language also writes: a statement with {@code word} in
     * it (any case, anywhere: a string literal with it makes a write too, which errs on the safe
     * side), one the AWS CLI reads from a file ({@code file://}), or {@code --cli-input-json}, which
     * can set it unseen, makes the read a write.
     *
     * @param member the model member ({@code QueryString})
     * @param word   the statement's writing keyword, lower case ({@code unload})
     * @param effect what it does, for the label
     */
    record WritingStatement(String member, String word, String effect) {
        /** The AWS CLI's option for it ({@code --query-string}). */
        String option() {
            return "--" + CliNames.of(member);
        }

        boolean writes(AwsCommand command) {
            for (AwsCommand.Word w : command.options()) {
                if (w.name().equals("--cli-input-json")) {
                    return true;
                }
                if (w.name().equals(option())) {
                    for (String v : w.values()) {
                        String lower = v.toLowerCase(Locale.ROOT);
                        if (lower.contains(word) || lower.startsWith("file://") || lower.startsWith("fileb://")
                                || lower.startsWith("http://") || lower.startsWith("https://")) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
    }

    /** Reads whose statement can write ({@code service:Operation}): mcp round 8, F9. */
    static final Map<String, WritingStatement> WRITING_STATEMENTS = Map.of(
            "timestream-query:Query", new WritingStatement("QueryString", "unload",
                    "UNLOAD writes the query's result to S3"));

    /** Reads that return a secret with one value of a parameter ({@code service:Operation}). */
    static final Map<String, SecretChoice> SECRET_CHOICES = Map.of(
            "ec2:DescribeInstanceAttribute", new SecretChoice("Attribute", "userData",
                    "the instance's user data, which commonly holds passwords and keys"));

    /**
     * Words in an operation's name (matched case-insensitively anywhere in it) that make a reading
     * verb suspect: it may hand out credentials, a token, a URL that grants access, access itself,
     * or change state (Verify, Verification).
     */
    static final List<String> SUSPECT_WORDS = List.of("Credential", "Token", "Password", "Passphrase", "Url", "Access",
            "Verif", "Login", "Session", "Federation", "Embed", "Presign", "ApiKey", "StreamKey", "AuthCode", "UnlockCode",
            "RegistrationCode", "ConnectionString");

    /**
     * A span of an operation's name that contains a suspect word but names something that only
     * describes, with why (patterns on botocore's operation name).
     *
     * @param span   the span, removed from the name before the suspect words are looked for
     * @param reason why it only reads
     */
    record Excuse(Pattern span, String reason) {
        Excuse(String span, String reason) {
            this(Pattern.compile(span), reason);
        }
    }

    /** Every read whose name has a suspect word is explained by one of these. */
    static final List<Excuse> EXCUSES = List.of(
            new Excuse("Access(?=Points?|Polic(?:y|ies)|Grants?|Controls?|Entr(?:y|ies)|Previews?|LogSubscriptions?"
                    + "|Rules?|Scopes?|Settings|Associations?|Overrides?|Effect|Status|State|Block|Report|Keys?(?:LastUsed"
                    + "|Info)?$|Sources?|Exclusions?|Options|Role|Identit(?:y|ies)|Configuration|LoggingSettings"
                    + "|BackupVaults|Tasks)",
                    "a resource or setting that governs access (access points, policies, grants, rules, key ids),"
                    + " not access itself; iam ListAccessKeys and lightsail GetBucketAccessKeys return key ids only"),
            new Excuse("LastAccessed", "when something was last used"),
            new Excuse("^GetEndpointAccess$", "redshift-serverless: describes an endpoint access resource"),
            new Excuse("Verified(?!Access)", "lists or describes what is already verified"),
            new Excuse("Verification(?=Attributes|EmailTemplates?|s?$)",
                    "the state of a verification, or the templates of verification emails"),
            new Excuse("CredentialReport", "iam: the credential report (which credentials users have, no secrets)"),
            new Excuse("Credential(?:Providers?|Lockers?)", "settings of credential providers and lockers"),
            new Excuse("VerifiedAccess", "resources of EC2 Verified Access, described"),
            new Excuse("(?<=^(?:List|Describe)[A-Za-z]{0,80})Access(?:es)?$",
                    "lists or describes who has access to something, grants none"),
            new Excuse("(?<=^(?:Get|Describe|BatchGet)[A-Za-z]{0,80})Session$",
                    "describes a session (its state), issues no session"),
            new Excuse("Sessions", "lists sessions"),
            new Excuse("Session(?=Status|Metadata|Actions?|Artifacts|Results|Details|Placement|Queues|Mappings?"
                    + "|Configuration|Loggers?|AnalyticsData|Metrics|Data|sStatistics)",
                    "a session's status, results or settings"),
            new Excuse("UrlConfigs?", "the configuration of Lambda function URLs"),
            new Excuse("QueueUrl", "an SQS queue's URL, which grants nothing"),
            new Excuse("ChangeTokenStatus", "the status of a WAF change token"),
            new Excuse("TokenBalances?", "balances of blockchain tokens"),
            new Excuse("TrustedTokenIssuers?", "trusted token issuer settings"),
            new Excuse("TokenVault", "a token vault's settings"),
            new Excuse("TokenNames", "the names of stored tokens"),
            new Excuse("PasswordPolicy", "the account's password rules"),
            new Excuse("LoginProfile", "whether a user has a console password (not the password)"),
            new Excuse("ManagedLoginBranding(?:ByClient)?", "the look of a hosted login page"),
            new Excuse("FederationInfo", "federation settings"),
            new Excuse("^ListServiceSpecificCredentials$", "iam: metadata of the credentials, no passwords"),
            new Excuse("^ListSourceCredentials$", "codebuild: which source credentials exist, not their tokens"),
            new Excuse("^ListVoiceConnectorTerminationCredentials$", "chime: user names only"),
            new Excuse("^ListWebAuthnCredentials$", "cognito-idp: public passkey metadata"),
            new Excuse("^GetPriceListFileUrl$", "pricing: the URL of a public price list file"),
            new Excuse("^GetSourceRepositoryCloneUrls$", "codecatalyst: clone URLs, which need credentials"),
            new Excuse("^CheckAccessNotGranted$|^CheckNoNewAccess$|^CheckNoPublicAccess$",
                    "accessanalyzer: checks a policy document"),
            new Excuse("AccessFor(?:Organization|Services)$|^GetUseCaseForModelAccess$|ServiceAccess$",
                    "which services or use cases have access enabled"));

    /** The verb of an operation name: its first capitalised word ({@code BatchGet} counts as one). */
    static String verb(String operation) {
        if (operation.startsWith("BatchGet")) {
            return "BatchGet";
        }
        int end = 1;
        while (end < operation.length() && !Character.isUpperCase(operation.charAt(end))) {
            end++;
        }
        return operation.substring(0, end);
    }

    /** The suspect word left in an operation's name once the excused spans are taken out, if any. */
    static java.util.Optional<String> suspectWord(String operation) {
        String rest = operation;
        for (Excuse e : EXCUSES) {
            rest = e.span().matcher(rest).replaceAll("_");
        }
        String lower = rest.toLowerCase(Locale.ROOT);
        return SUSPECT_WORDS.stream().filter(w -> lower.contains(w.toLowerCase(Locale.ROOT))).findFirst();
    }

    /** The spans of the name that an excuse explains (to show which excuses are used). */
    static List<Excuse> excusesOf(String operation) {
        List<Excuse> used = new ArrayList<>();
        String rest = operation;
        for (Excuse e : EXCUSES) {
            String next = e.span().matcher(rest).replaceAll("_");
            if (!next.equals(rest)) {
                used.add(e);
            }
            rest = next;
        }
        return used;
    }

    static Classification of(AwsCommand command) {
        return switch (command.kind()) {
            case VERSION -> new Classification("aws --version", true, "", List.of());
            case CONFIGURE -> new Classification("configure:list", true, "", List.of("configure:list"));
            case WAITER -> {
                // a waiter calls its operation until a state is reached: it reads only if that operation
                // does (ec2 wait password-data-available calls GetPasswordData: mcp round 8, F6); what
                // the operation returns is not printed (the AWS CLI shows no response of a waiter), so a
                // read that returns secrets stays a read as a waiter (lambda wait function-active)
                AwsCommand.OperationRef op = command.operation().orElseThrow();
                String why = notRead(op);
                boolean read = why.isEmpty() || why.startsWith("returns secrets");
                yield new Classification(command.service() + ":wait " + command.path().get(1) + " (" + op.name() + ")",
                        read, read || why.equals("write") ? "" : why,
                        command.serviceNames().stream().flatMap(service -> java.util.stream.Stream.of(service + ":wait",
                                service + ":" + CliNames.of(op.name()))).toList());
            }
            case OPERATION -> {
                AwsCommand.OperationRef op = command.operation().orElseThrow();
                List<String> names = new ArrayList<>(command.patternNames());
                for (String call : CUSTOMIZATION_CALLS.getOrDefault(op.botocoreService() + ":" + op.name(), List.of())) {
                    for (String service : command.serviceNames()) {
                        names.add(service + ":" + CliNames.of(call));
                    }
                }
                Classification c = operation(op, command.service() + ":" + op.name(), List.copyOf(names));
                SideEffect effect = SIDE_EFFECTS.get(op.botocoreService() + ":" + op.name());
                if (c.read() && effect != null && given(command, effect.option())) {
                    yield new Classification(c.name(), false, effect.option() + " " + effect.effect(), c.names(),
                            java.util.Optional.of(without(command, effect.option())));
                }
                WritingStatement statement = WRITING_STATEMENTS.get(op.botocoreService() + ":" + op.name());
                if (c.read() && statement != null && statement.writes(command)) {
                    yield new Classification(c.name(), false, statement.option() + " may be an UNLOAD or unseen: "
                            + statement.effect(), c.names());
                }
                SecretChoice choice = SECRET_CHOICES.get(op.botocoreService() + ":" + op.name());
                if (c.read() && choice != null && !choice.picksAnother(command)) {
                    yield new Classification(c.name(), false, "returns secrets (" + choice.option() + " "
                            + choice.value() + ": " + choice.secret() + ")", c.names(), java.util.Optional.of("give "
                            + choice.option() + " another value than " + choice.value() + " (a plain word"
                            + (cliInputJson(command) ? ", and no --cli-input-json, which could set it" : "") + ")"));
                }
                SecretFlag flag = SECRET_FLAGS.get(op.botocoreService() + ":" + op.name());
                if (c.read() && flag != null && flag.reveals(command)) {
                    yield new Classification(c.name(), false, "returns secrets (" + (flag.hides() ? "without " : "")
                            + flag.option() + ": " + flag.secret() + ")", c.names(), java.util.Optional.of(flag.hides()
                            ? "add " + flag.option() + " (after any --no-" + flag.option().substring(2) + ")"
                            : without(command, flag.option())));
                }
                yield c;
            }
            case S3 -> s3(command);
        };
    }

    /** Why an operation is not a read, or empty when it reads; {@code write} when only its verb says so. */
    static String notRead(AwsCommand.OperationRef op) {
        String key = op.botocoreService() + ":" + op.name();
        if (ISSUES_CREDENTIALS.contains(key)) {
            return "issues credentials";
        }
        if (CHANGES_STATE.contains(key)) {
            return "changes state";
        }
        if (ACTS.containsKey(key)) {
            return ACTS.get(key);
        }
        if (RETURNS_SECRETS.containsKey(key)) {
            return "returns secrets (" + RETURNS_SECRETS.get(key) + ")";
        }
        if (READS_ANYWAY.contains(key)) {
            return "";
        }
        if (!READ_VERBS.contains(verb(op.name()))) {
            return "write";
        }
        if (Set.of("PUT", "DELETE", "PATCH").contains(op.httpMethod())) {
            return "HTTP " + op.httpMethod();
        }
        if (op.longPoll()) {
            return "takes work: its documentation calls it a long poll or says it starts something";
        }
        if (!op.secretOutput().isEmpty()) {
            return "returns secrets (" + op.secretOutput() + ")";
        }
        java.util.Optional<String> word = suspectWord(op.name());
        if (word.isPresent()) {
            return (word.get().equals("Verif") ? "may change state" : "may issue credentials or access")
                    + ": '" + word.get() + "' in its name";
        }
        return "";
    }

    /**
     * How to read without an option that made the command a write: drop it, and {@code --cli-input-json}
     * (which {@link #given} counts as able to give it) when the command has that.
     */
    private static String without(AwsCommand command, String option) {
        boolean named = command.options().stream().anyMatch(w -> w.name().equals(option));
        if (!cliInputJson(command)) {
            return "drop " + option;
        }
        return named ? "drop " + option + " and --cli-input-json (which could give it)"
                : "drop --cli-input-json (which could give " + option + ")";
    }

    private static boolean cliInputJson(AwsCommand command) {
        return command.options().stream().anyMatch(w -> w.name().equals("--cli-input-json"));
    }

    /**
     * Whether a command gives a parameter: its option, last not countermanded by {@code --no-…}
     * (the AWS CLI keeps the last), or {@code --cli-input-json}, which can set it unseen.
     */
    static boolean given(AwsCommand command, String option) {
        boolean given = false;
        for (AwsCommand.Word w : command.options()) {
            if (w.name().equals(option)) {
                given = true;
            } else if (w.name().equals("--no-" + option.substring(2))) {
                given = false;
            }
        }
        return given || command.options().stream().anyMatch(w -> w.name().equals("--cli-input-json"));
    }

    /**
     * Operations an AWS CLI customization of an operation calls besides it, for patterns: {@code emr describe-cluster}
     * merges the cluster with its instance fleets or groups and bootstrap actions, so a deny (or an ask) of those covers
     * it (red team, mcp round F, F2: the configurations ListInstanceFleets returns came through DescribeCluster).
     */
    static final Map<String, List<String>> CUSTOMIZATION_CALLS = Map.of(
            "emr:DescribeCluster", List.of("ListInstanceFleets", "ListInstanceGroups", "ListBootstrapActions"));

    /** Reads whose names do not say so. */
    static final Set<String> READS_ANYWAY = Set.of("sts:DecodeAuthorizationMessage");

    static Classification operation(AwsCommand.OperationRef op, String name, List<String> names) {
        String why = notRead(op);
        return new Classification(name, why.isEmpty(), why.equals("write") ? "" : why, names);
    }

    private static Classification s3(AwsCommand command) {
        String sub = command.path().getFirst();
        List<String> paths = command.positionals().stream().flatMap(w -> w.values().stream()).toList();
        boolean recursive = command.options().stream().anyMatch(w -> w.name().equals("--recursive"));
        boolean delete = command.options().stream().anyMatch(w -> w.name().equals("--delete"));
        boolean toS3 = paths.size() == 2 && paths.get(1).startsWith("s3://");
        boolean fromS3 = !paths.isEmpty() && paths.getFirst().startsWith("s3://");
        List<String> names = new ArrayList<>(List.of("s3:" + sub));
        boolean read = false; // every s3 command changes something but ls and a copy to the local disk
        String reason = "";
        switch (sub) {
            case "ls" -> {
                read = true;
                // without a bucket it lists the buckets, with one (s3://b, or a bare b, which the AWS CLI reads as
                // s3://b) the bucket's objects: a deny of the object listing refused a plain 'aws s3 ls' (outside
                // test RT19, F5)
                boolean bucket = !paths.isEmpty() && !paths.getFirst().replaceFirst("^s3://", "").isEmpty();
                names.add(bucket ? "s3api:list-objects-v2" : "s3api:list-buckets");
            }
            case "cp", "sync" -> {
                read = !toS3;
                if (fromS3 && !toS3) {
                    names.add("s3api:get-object");
                } else {
                    names.addAll(writesTo(fromS3));
                }
                if (sub.equals("sync")) {
                    names.add("s3api:list-objects-v2");
                    if (delete) {
                        names.add("s3api:delete-object");
                        read = read && !toS3; // deleting local files only
                    }
                }
            }
            case "mv" -> {
                if (fromS3 && !toS3) {
                    names.add("s3api:get-object");
                } else {
                    names.addAll(writesTo(fromS3));
                }
                if (fromS3) {
                    names.add("s3api:delete-object");
                }
            }
            case "rm" -> names.add("s3api:delete-object");
            case "mb" -> names.add("s3api:create-bucket");
            case "rb" -> {
                names.add("s3api:delete-bucket");
                if (command.options().stream().anyMatch(w -> w.name().equals("--force"))) {
                    names.add("s3api:delete-object");
                }
            }
            case "website" -> names.add("s3api:put-bucket-website");
            case "presign" -> {
                reason = "issues credentials (a URL that grants access)";
                names.add("s3api:get-object");
            }
            default -> { }
        }
        if (recursive && sub.equals("ls")) {
            read = true;
        }
        // what the transfer asks of S3 before it moves anything: each object read from S3 is looked at first
        // (HeadObject), and a recursive command, or 'rb --force', lists the bucket (ListObjectsV2): a deny of either
        // covers them (red team, mcp round F, F1: 's3 cp s3://b d --recursive --dryrun' listed a bucket whose listing
        // was denied)
        if (fromS3 && Set.of("cp", "mv", "sync").contains(sub)) {
            names.add("s3api:head-object");
        }
        boolean lists = recursive && fromS3 && Set.of("cp", "mv", "rm").contains(sub)
                || sub.equals("rb") && command.options().stream().anyMatch(w -> w.name().equals("--force"));
        if (lists && !names.contains("s3api:list-objects-v2")) {
            names.add("s3api:list-objects-v2");
        }
        return new Classification("s3:" + sub, read, reason, names);
    }

    /**
     * The s3api operations an {@code s3 cp/sync/mv} into S3 performs, for patterns: an upload puts
     * the object (in parts when it is large), and so does a copy from S3, which puts it with
     * CopyObject or UploadPartCopy: {@code deny s3api:put-object} must cover {@code s3 cp s3://a/k
     * s3://protected/k} as well as an upload (red team, mcp round 8, F7). A multipart transfer ends in
     * CompleteMultipartUpload (or AbortMultipartUpload when it fails): a rule on either covers it too (outside test RT24,
     * F3: a 9.5 MB upload completed under a deny of {@code s3api:complete-multipart-upload}).
     */
    private static List<String> writesTo(boolean fromS3) {
        return fromS3
                ? List.of("s3api:copy-object", "s3api:put-object", "s3api:create-multipart-upload", "s3api:upload-part-copy",
                        "s3api:complete-multipart-upload", "s3api:abort-multipart-upload")
                : List.of("s3api:put-object", "s3api:create-multipart-upload", "s3api:upload-part",
                        "s3api:complete-multipart-upload", "s3api:abort-multipart-upload");
    }

    /** {@code s3api:PutObject (write)}, as every result shows it. */
    public String label() {
        return name + " (" + (read ? "read" : reason.isEmpty() ? "write" : "write, " + reason) + ")";
    }
}
