package dev.awssandbox.mcp.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one directory whose files the AWS CLI may read and write for the model: a download lands
 * here, and a later call may upload it or pass it as {@code file://}. A local path the AWS CLI
 * would open must be {@code -} where that means stdin/stdout, or a relative path that stays inside
 * this directory: no absolute path, no {@code ..}, no {@code ~} and no {@code $} (the AWS CLI
 * expands {@code ~}, {@code ~user}, {@code $VAR} and {@code ${VAR}} in file arguments, which is how
 * {@code file://$HOME/.aws/credentials} and {@code --body ~root/.aws/credentials} got out), and
 * no symbolic link out of it.
 *
 * @param root the directory, real path
 */
public record Workspace(Path root) {
    public Workspace {
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("the workspace must be an absolute path: " + root);
        }
    }

    /**
     * What the AWS CLI does with a path: reads it (it must exist), writes it creating its directories ({@code s3 cp},
     * {@code s3 sync}), or writes a file in a directory that must exist ({@code s3api get-object}'s outfile).
     */
    public enum Access { READ, WRITE, WRITE_FILE }

    /**
     * Checks a local path as the AWS CLI would use it, relative to this workspace (its working
     * directory).
     *
     * @param what  names the argument, for the message
     */
    public void check(String path, Access access, String what) throws Refused {
        String problem = problem(path);
        if (problem != null) {
            throw new Refused(what + " '" + AwsCli.abbreviate(path) + "' is not allowed: " + problem + ". Local files"
                    + " must be relative paths inside the workspace (" + root + "), e.g. ./data.json: download there with"
                    + " 'aws s3 cp s3://bucket/key ./data.json', then use file://data.json or the path in a later call");
        }
        Path resolved = root.resolve(path).normalize();
        if (!resolved.startsWith(root)) {
            throw new Refused(what + " '" + AwsCli.abbreviate(path) + "' leaves the workspace");
        }
        // follow what exists of it: a symbolic link must not lead out
        Path existing = resolved;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing != null) {
            try {
                if (!existing.toRealPath().startsWith(root)) {
                    throw new Refused(what + " '" + AwsCli.abbreviate(path) + "' leads out of the workspace through a"
                            + " symbolic link");
                }
            } catch (IOException e) {
                throw new Refused(what + " '" + AwsCli.abbreviate(path) + "' cannot be resolved: " + e.getMessage());
            }
        }
    }

    /**
     * Why the AWS CLI could not use {@code path} (checked by {@link #check}) as {@code access} says, if it could not: a
     * file to read that does not exist, a file to write whose directory does not exist. Said before the AWS CLI runs
     * and before any consent question (outside test WF30, F10: {@code --body nofile.json} had come back as "Blob values
     * must be a path to a file", and {@code s3 cp nofile.json s3://b/k} with the hint for a missing AWS resource).
     */
    public Optional<String> missing(String path, Access access, String what) {
        Path resolved = root.resolve(path).normalize();
        if (access == Access.READ && !Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(what + " '" + AwsCli.abbreviate(path) + "': no such file in the workspace (" + root
                    + "); download it there first, e.g. aws s3 cp s3://BUCKET/KEY ./"
                    + AwsCli.abbreviate(path.startsWith("./") ? path.substring(2) : path));
        }
        Path directory = resolved.getParent();
        if (access == Access.WRITE_FILE && directory != null && !Files.isDirectory(directory)) {
            return Optional.of(what + " '" + AwsCli.abbreviate(path) + "': the directory " + root.relativize(directory)
                    + " does not exist in the workspace, and this command does not create it; name a file in an existing"
                    + " directory, or download with aws s3 cp, which creates it");
        }
        return Optional.empty();
    }

    private static String problem(String path) {
        if (path.isEmpty()) {
            return "it is empty";
        }
        if (path.indexOf('\0') >= 0) {
            return "it contains a NUL byte";
        }
        if (path.indexOf('$') >= 0) {
            return "it contains '$' (the AWS CLI expands variables in paths)";
        }
        if (path.indexOf('~') >= 0) {
            return "it contains '~' (the AWS CLI expands it to a home directory)";
        }
        if (path.startsWith("/")) {
            return "it is absolute";
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                return "it contains '..'";
            }
        }
        return null;
    }
}
