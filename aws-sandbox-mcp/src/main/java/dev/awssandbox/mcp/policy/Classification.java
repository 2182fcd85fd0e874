package dev.awssandbox.mcp.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether a command only reads the AWS account, from the operation botocore's model names:
 *
 * <ul>
 *   <li>an operation reads when its name starts with a reading verb ({@link #READ_VERBS}:
 *       Describe, List, Get, Head, Search, Lookup, Scan, Query, Select, BatchGet, Filter, Check,
 *       Validate, Estimate, Preview, Simulate, View, Verify, Discover, Retrieve), unless it is one
 *       of the {@link #ISSUES_CREDENTIALS} (they hand out keys, tokens or passwords: treated as
 *       writes); {@link #READS_ANYWAY} lists the few reads with other names;</li>
 *   <li>everything else writes (Create, Put, Delete, Update, Send, Invoke, Start, Receive — which
 *       hides the message —, Decrypt, …): unknown means write;</li>
 *   <li>{@code s3}: {@code ls} reads; {@code cp}/{@code sync} read when they download (the
 *       destination is local or {@code -}) and write when they upload or copy; {@code mv},
 *       {@code rm}, {@code mb}, {@code rb}, {@code website} write; {@code presign} hands out a URL
 *       that grants access, so it counts as issuing credentials;</li>
 *   <li>waiters, {@code configure list} and {@code --version} read.</li>
 * </ul>
 *
 * @param name     for results and messages: {@code s3api:PutObject}, {@code s3:cp}
 * @param read     whether it only reads
 * @param reason   why it is not a read, when it is not ({@code issues credentials})
 * @param names    every {@code service:command} name policy patterns are matched against (an s3
 *                 command also matches the s3api operations it performs; a waiter its operation)
 */
public record Classification(String name, boolean read, String reason, List<String> names) {
    public Classification {
        names = List.copyOf(names);
    }

    static final Set<String> READ_VERBS = Set.of("Describe", "List", "Get", "Head", "Search", "Lookup", "Scan",
            "Query", "Select", "BatchGet", "Filter", "Check", "Validate", "Estimate", "Preview", "Simulate", "View",
            "Verify", "Discover", "Retrieve");

    /** Operations that hand out credentials ({@code service:Operation}): writes, labelled so. */
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
            "iam:ResetServiceSpecificCredential", "iam:CreateLoginProfile");

    /** Reads whose names do not say so. */
    static final Set<String> READS_ANYWAY = Set.of("sts:DecodeAuthorizationMessage");

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

    static Classification of(AwsCommand command) {
        return switch (command.kind()) {
            case VERSION -> new Classification("aws --version", true, "", List.of());
            case CONFIGURE -> new Classification("configure:list", true, "", List.of("configure:list"));
            case WAITER -> {
                AwsCommand.OperationRef op = command.operation().orElseThrow();
                yield new Classification(command.service() + ":wait " + command.path().get(1) + " (" + op.name() + ")",
                        true, "", List.of(command.service() + ":wait", command.service() + ":" + CliNames.of(op.name())));
            }
            case OPERATION -> operation(command);
            case S3 -> s3(command);
        };
    }

    private static Classification operation(AwsCommand command) {
        AwsCommand.OperationRef op = command.operation().orElseThrow();
        String key = op.botocoreService() + ":" + op.name();
        String name = command.service() + ":" + op.name();
        List<String> names = List.of(command.patternName());
        if (ISSUES_CREDENTIALS.contains(key)) {
            return new Classification(name, false, "issues credentials", names);
        }
        if (READS_ANYWAY.contains(key) || READ_VERBS.contains(verb(op.name()))) {
            return new Classification(name, true, "", names);
        }
        return new Classification(name, false, "", names);
    }

    private static Classification s3(AwsCommand command) {
        String sub = command.path().getFirst();
        List<String> paths = command.positionals().stream().flatMap(w -> w.values().stream()).toList();
        boolean recursive = command.options().stream().anyMatch(w -> w.name().equals("--recursive"));
        boolean delete = command.options().stream().anyMatch(w -> w.name().equals("--delete"));
        boolean toS3 = paths.size() == 2 && paths.get(1).startsWith("s3://");
        boolean fromS3 = !paths.isEmpty() && paths.getFirst().startsWith("s3://");
        List<String> names = new ArrayList<>(List.of("s3:" + sub));
        boolean read;
        String reason = "";
        switch (sub) {
            case "ls" -> {
                read = true;
                names.addAll(List.of("s3api:list-buckets", "s3api:list-objects-v2"));
            }
            case "cp", "sync" -> {
                read = !toS3;
                if (fromS3) {
                    names.add(toS3 ? "s3api:copy-object" : "s3api:get-object");
                } else {
                    names.addAll(List.of("s3api:put-object", "s3api:create-multipart-upload"));
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
                read = false;
                names.add(fromS3 ? (toS3 ? "s3api:copy-object" : "s3api:get-object") : "s3api:put-object");
                if (fromS3) {
                    names.add("s3api:delete-object");
                }
            }
            case "rm" -> {
                read = false;
                names.add("s3api:delete-object");
            }
            case "mb" -> {
                read = false;
                names.add("s3api:create-bucket");
            }
            case "rb" -> {
                read = false;
                names.add("s3api:delete-bucket");
                if (command.options().stream().anyMatch(w -> w.name().equals("--force"))) {
                    names.add("s3api:delete-object");
                }
            }
            case "website" -> {
                read = false;
                names.add("s3api:put-bucket-website");
            }
            case "presign" -> {
                read = false;
                reason = "issues credentials (a URL that grants access)";
                names.add("s3api:get-object");
            }
            default -> read = false;
        }
        if (recursive && sub.equals("ls")) {
            read = true;
        }
        return new Classification("s3:" + sub, read, reason, names);
    }

    /** {@code s3api:PutObject (write)}, as every result shows it. */
    public String label() {
        return name + " (" + (read ? "read" : reason.isEmpty() ? "write" : "write, " + reason) + ")";
    }
}
