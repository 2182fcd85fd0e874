package dev.awssandbox.mcp;

import dev.awssandbox.mcp.policy.AwsCommand;
import dev.awssandbox.mcp.policy.AwsCommandPolicy;
import dev.awssandbox.mcp.policy.ParamFile;
import dev.awssandbox.mcp.policy.Refused;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Asks the user, through MCP elicitation, before a call the policy wants consent for. The model
 * sees a refusal when the client cannot ask (no elicitation capability), or the user declines,
 * cancels or does not tick the box. The question shows the canonical command that would run, and
 * what each of its parameter files says.
 */
final class Consent {
    private Consent() {}

    /**
     * The longest value the question shows whole, in characters; a longer one shows its first this
     * many and its length, and is called out. The same bound as a parameter file's text.
     */
    static final int LONGEST_VALUE = 2048;

    /** A blank (any whitespace, or a space other than U+0020) followed by '-'. */
    private static final Pattern BLANK_DASH = Pattern.compile("[\\s\\p{Z}]-");

    /**
     * The question: what runs and why it needs consent, the options set, then the command as the AWS
     * CLI will read it, one argument per line. Every part is escaped ({@link Printable#escape}):
     * argument values are the model's text, and a carriage return, a line feed, an ANSI sequence or a
     * bidirectional override in one could redraw the question as a read (red team, mcp round 8, F3).
     * The line breaks are the server's own.
     *
     * <p>Clients may render the question as Markdown: {@code '--include=[old.txt](<' --recursive
     * '--exclude=>)'} became a link whose text hid {@code --recursive}, and {@code <!--} … {@code -->}
     * hides a span where raw HTML is on (red team, mcp round 10, F6). So everything the model chose
     * (the command's values, and each parameter file's argument, copy and text) is shown in fenced
     * code blocks ({@link #fenced}), where a Markdown renderer shows text as it is; the prose around
     * them is the server's own, and names options only as the parser named them.
     *
     * <p>The command was one shell-quoted line, and {@code '--exclude=x'\'' --dryrun '\'''} showed a
     * {@code --dryrun} that was part of a value: the user approved, and a recursive delete ran; a
     * 5,000-character value pushed {@code --recursive} out of view (red team, mcp round 11, F1). So
     * each argument is on its own line as parsed, {@code --name} for a flag and {@code --name = VALUE}
     * for each value, the options set are listed by name before the block, and a value that reads like
     * an option or is cut for length is called out after it ({@link #notes}).
     */
    static String message(AwsCommandPolicy.Decision decision) {
        return message(decision, Optional.empty());
    }

    /**
     * The question, with whose account it acts on ({@code account}: the profile, where its credentials come from and the
     * region), which the command line does not show when the model named no profile (outside test WF29, F15).
     */
    static String message(AwsCommandPolicy.Decision decision, Optional<String> account) {
        AwsCommand command = decision.command();
        List<String> words = new ArrayList<>(List.of("aws"));
        if (command.kind() != AwsCommand.Kind.VERSION) {
            words.add(command.service());
            words.addAll(command.path());
        }
        List<String> lines = new ArrayList<>(List.of(Printable.escape(String.join(" ", words))));
        List<String> names = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<AwsCommand.Word> arguments = new ArrayList<>(command.globals());
        arguments.addAll(command.positionals());
        arguments.addAll(command.options());
        for (AwsCommand.Word word : arguments) {
            String name = Printable.escape(word.name()) + (word.positional() ? " (positional)" : "");
            if (!word.positional() && !names.contains(name)) {
                names.add(name);
            }
            if (word.values().isEmpty()) {
                lines.add(name);
            }
            int count = word.values().size();
            for (int i = 0; i < count; i++) {
                String value = word.values().get(i);
                String which = count == 1 ? name : name + " (value " + (i + 1) + " of " + count + ")";
                lines.add(which + " = " + Printable.escape(shown(value)));
                notes.addAll(notes(which, value));
            }
        }
        StringBuilder message = new StringBuilder("The assistant wants to run ")
                .append(Printable.escape(decision.classification().label())).append(" (")
                .append(Printable.escape(decision.consent().orElseThrow())).append(").\n")
                .append(account.map(a -> "Account: " + Printable.escape(a) + ".\n").orElse(""))
                .append("Options set: ").append(names.isEmpty() ? "none" : String.join(", ", names)).append(".\n")
                .append("The command as the AWS CLI will read it, one argument per line: a name alone is a flag that is"
                        + " set; in 'NAME = VALUE' everything after ' = ' to the end of the line is one value (escaped),"
                        + " never another option:\n")
                .append(fenced(lines));
        for (String note : notes) {
            message.append("\n").append(note);
        }
        List<ParamFile> files = decision.paramFiles();
        for (int i = 0; i < files.size(); i++) {
            message.append("\n").append(describe(files.get(i), i + 1, files.size()));
        }
        return message.toString();
    }

    /** A value as the question shows it: whole, or its first {@link #LONGEST_VALUE} characters. */
    private static String shown(String value) {
        if (value.length() <= LONGEST_VALUE) {
            return value;
        }
        return value.substring(0, Character.isHighSurrogate(value.charAt(LONGEST_VALUE - 1)) ? LONGEST_VALUE - 1 : LONGEST_VALUE);
    }

    /**
     * What the user should know about a value that its line cannot say: that it reads like an option
     * (it starts with '-', holds "--", or a blank followed by '-', as {@code x' --dryrun '} does), or
     * that it is cut. {@code which} is the parser's name for the argument, never the model's text.
     */
    private static List<String> notes(String which, String value) {
        List<String> notes = new ArrayList<>();
        if (value.startsWith("-") || value.contains("--") || BLANK_DASH.matcher(value).find()) {
            notes.add("Note: the value of " + which + " holds text that looks like an option (a '-' at its start or"
                    + " after a blank, or '--'); it is part of that value and sets nothing. Only the options listed"
                    + " under 'Options set' are set.");
        }
        if (value.length() > LONGEST_VALUE) {
            notes.add("Note: the value of " + which + " is " + value.length() + " characters long; only its first "
                    + shown(value).length() + " are shown. Decline if you need to see the rest.");
        }
        return notes;
    }

    /**
     * What a parameter file says, as the AWS CLI will read it: the command names the server's copy,
     * so {@code file://p} alone would tell the user nothing, and for {@code s3 rm file://p} the file
     * is the target (red team, mcp round 9, F1). The argument and the copy, then its text, escaped, up
     * to 2048 characters, in a fenced code block; a file that is not UTF-8 text by its size only.
     */
    static String describe(ParamFile file, int number, int of) {
        String head = "Parameter file " + number + " of " + of + ", " + file.bytes() + " bytes, read from the server's"
                + " copy (the argument, the copy the command names";
        List<String> lines = new ArrayList<>(List.of(Printable.escape(file.argument() + " " + file.given()),
                Printable.escape("copy: " + file.copy())));
        if (file.start().isEmpty()) {
            return head + "; binary, not " + file.encoding() + " text, so not shown):\n" + fenced(lines);
        }
        lines.add(Printable.escape(file.start().get()));
        // a file in UTF-16 or with a byte-order mark is read so by the AWS CLI's JSON parser: say so
        String as = file.encoding().equals("UTF-8") ? "" : ", read as " + file.encoding() + " text as the AWS CLI reads JSON";
        return head + (file.whole() ? ", and what it says" + as + "):\n"
                : ", and its first " + file.start().get().length() + " characters" + as + "; the rest is not shown):\n")
                + fenced(lines);
    }

    /**
     * {@code lines} (escaped: no line breaks in them) as a Markdown fenced code block whose fence is
     * longer than any run of back-ticks in them, so that no line can close it (CommonMark closes a
     * fence only with a line of as many back-ticks or more); inside, a Markdown renderer shows text
     * as it is, links, emphasis and HTML included. A plain-text client shows the fences, which read
     * as delimiters.
     */
    static String fenced(List<String> lines) {
        int longest = 0;
        for (String line : lines) {
            int run = 0;
            for (int i = 0; i < line.length(); i++) {
                run = line.charAt(i) == '`' ? run + 1 : 0;
                longest = Math.max(longest, run);
            }
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        return fence + "\n" + String.join("\n", lines) + "\n" + fence;
    }

    /** @param exchange the call's session, or null where there is none to ask (stateless HTTP, tests) */
    static void require(McpSyncServerExchange exchange, AwsCommandPolicy.Decision decision) throws Refused {
        require(exchange, decision, null, Optional.empty());
    }

    /** Tests: as the four-argument form, without the account's line. */
    static void require(McpSyncServerExchange exchange, AwsCommandPolicy.Decision decision, java.time.Duration wait)
            throws Refused {
        require(exchange, decision, wait, Optional.empty());
    }

    /**
     * As {@link #require(McpSyncServerExchange, AwsCommandPolicy.Decision)}, waiting for the answer at most {@code
     * wait} (the call's timeout; null: as long as the SDK waits). A question left open held a slot of the call limit
     * for the SDK's half hour, and every other call of every session was "server busy" meanwhile (MCP red team of
     * 2026-12-06, MRT-6).
     */
    static void require(McpSyncServerExchange exchange, AwsCommandPolicy.Decision decision, java.time.Duration wait,
                        Optional<String> account) throws Refused {
        String reason = decision.consent().orElseThrow();
        String what = decision.classification().label();
        if (exchange == null) {
            // a stateless server has no session to ask in, whatever the client supports (a workflow test, 2026-12-05:
            // the client had been blamed)
            throw new Refused(what + " needs the user's consent (" + reason + "), and this server is stateless"
                    + " (AWS_MCP_STATELESS), so it cannot ask; it was not run");
        }
        McpSchema.ClientCapabilities capabilities = exchange.getClientCapabilities();
        if (capabilities == null || capabilities.elicitation() == null) {
            throw new Refused(what + " needs the user's consent (" + reason + "), and this MCP client cannot ask"
                    + " (it has no elicitation support); it was not run");
        }
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of("confirm", Map.of("type", "boolean", "title", "Run it",
                        "description", "Run this AWS CLI command against your account")),
                "required", List.of("confirm"));
        McpSchema.ElicitResult answer;
        try {
            McpSchema.ElicitRequest question = McpSchema.ElicitFormRequest.builder(message(decision, account), schema).build();
            answer = wait == null ? exchange.createElicitation(question) : answerWithin(exchange, question, wait, what);
        } catch (RuntimeException e) {
            // an answer that is no elicitation result: say so, not the JSON library's exception (mcp round 15, F3)
            boolean unreadable = e.getClass().getName().startsWith("tools.jackson") || e.getCause() != null
                    && e.getCause().getClass().getName().startsWith("tools.jackson");
            throw new Refused(what + " needs the user's consent, and asking failed (" + (unreadable
                    ? "the client's answer is not a valid elicitation result" : e.getMessage()) + "); it was not run");
        }
        Optional<String> refusal = refusal(what, answer);
        if (refusal.isPresent()) {
            throw new Refused(refusal.get());
        }
    }

    /** The user's answer, if it comes within {@code wait}; the question stays open at the client otherwise. */
    private static McpSchema.ElicitResult answerWithin(McpSyncServerExchange exchange, McpSchema.ElicitRequest question,
                                                       java.time.Duration wait, String what) throws Refused {
        java.util.concurrent.CompletableFuture<McpSchema.ElicitResult> asked = new java.util.concurrent.CompletableFuture<>();
        Thread asking = Thread.ofVirtual().name("mcp-consent").start(() -> {
            try {
                asked.complete(exchange.createElicitation(question));
            } catch (RuntimeException e) {
                asked.completeExceptionally(e);
            }
        });
        try {
            return asked.get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            asking.interrupt();
            throw new Refused(what + " needs the user's consent, and no answer came within the call's timeout of "
                    + wait.toSeconds() + " s; it was not run (ask the user to answer, then call again)");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            asking.interrupt();
            Thread.currentThread().interrupt();
            throw new Refused(what + " needs the user's consent, and the call was cancelled while asking; it was not run");
        }
    }

    /**
     * Why {@code answer} is no consent to {@code what}, or empty when it is one: accepted with
     * {@code confirm} true. A form accepted without that is said as such: "the user did not consent
     * … (accept)" read as a contradiction (testers' F7).
     */
    static Optional<String> refusal(String what, McpSchema.ElicitResult answer) {
        if (answer == null) {
            return Optional.of("the user did not consent to " + what + " (no answer); it was not run");
        }
        if (answer.action() != McpSchema.ElicitResult.Action.ACCEPT) {
            return Optional.of("the user did not consent to " + what + " ("
                    + answer.action().name().toLowerCase(java.util.Locale.ROOT) + "); it was not run");
        }
        if (answer.content() == null || !Boolean.TRUE.equals(answer.content().get("confirm"))) {
            return Optional.of("the user accepted the form without confirming " + what + " ('confirm' was "
                    + (answer.content() == null || !answer.content().containsKey("confirm") ? "not given" : "not true")
                    + "); it was not run");
        }
        return Optional.empty();
    }
}
