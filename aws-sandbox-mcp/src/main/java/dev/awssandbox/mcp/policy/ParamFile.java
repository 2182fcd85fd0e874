package dev.awssandbox.mcp.policy;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A parameter file as the AWS CLI will read it: the server's read-only copy, made before the
 * policy's checks and the user's consent, and the start of what it says, for the consent question
 * (red team, mcp round 9, F1: the question showed only {@code file://p}, and the file could be
 * rewritten while it was open).
 *
 * @param argument the option or positional that names it ({@code --policy-document}, {@code paths})
 * @param given    the value as the model wrote it ({@code file://p}, {@code fileb://p})
 * @param copy     the copy the command names instead
 * @param bytes    its size
 * @param encoding the encoding it is read in ({@code UTF-8}; {@code UTF-16LE}, … when its bytes say so,
 *                 as Python's {@code json} reads them: {@link ParamFileText})
 * @param start    its first 2048 characters, when it is text in that encoding; empty when binary
 * @param whole    whether {@code start} is all of it
 */
public record ParamFile(String argument, String given, Path copy, long bytes, String encoding, Optional<String> start,
        boolean whole) {}
