package dev.awssandbox.mcp.policy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;

/**
 * Duplicate keys in a JSON value. The AWS CLI reads JSON with Python's {@code json}, where a later
 * duplicate key wins; the consent question shows a value's or file's first 2048 characters, so a
 * second {@code "Bucket"} or {@code "Effect"} past them was approved unseen (red team, mcp round
 * 10, F5). Jackson's own {@code STRICT_DUPLICATE_DETECTION} would find it too, but its error names
 * no path; walking the tokens names the key and where it is.
 *
 * <p>A value counts as JSON when its first non-blank character is {@code {} or {@code [} (what
 * the AWS CLI parses as JSON rather than shorthand); one that does not parse is not looked at
 * further (the AWS CLI fails on it, or it is a plain string). {@code NaN} and {@code Infinity},
 * which Python accepts, are accepted; the limits are above what the server reads (16 MiB) and
 * above Python's nesting, so a JSON text Python reads is one this reads.
 */
final class JsonDuplicates {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(2_000)
                    .maxStringLength(64 << 20).maxNameLength(64 << 20).maxNumberLength(64 << 20)
                    .maxDocumentLength(-1).build())
            .build();

    private JsonDuplicates() {
    }

    /** One open object or array: its path, the keys seen (an object) or the next index (an array). */
    private static final class Frame {
        final String path;
        final Set<String> keys; // null for an array
        String name;            // the key whose value comes next (an object)
        int next;               // the next element's index (an array)

        Frame(String path, boolean object) {
            this.path = path;
            this.keys = object ? new HashSet<>() : null;
        }

        String child() {
            return keys != null ? path + member(name) : path + "[" + next++ + "]";
        }
    }

    /** Whether a value is one the AWS CLI reads as JSON: it starts with {@code {} or {@code [}. */
    static boolean looksLikeJson(String text) {
        String s = text.stripLeading();
        return s.startsWith("{") || s.startsWith("[");
    }

    /**
     * The first duplicate key in the value, said as {@code "KEY" in PATH} ({@code $} is the value
     * itself), if the whole value is one JSON text and has one.
     *
     * @throws Refused when the value is too deeply nested or too long to check
     */
    static Optional<String> first(String what, String text) throws Refused {
        if (!looksLikeJson(text)) {
            return Optional.empty();
        }
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), text)) {
            Deque<Frame> open = new ArrayDeque<>();
            Optional<String> found = Optional.empty();
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                Frame in = open.peek();
                switch (t) {
                    case PROPERTY_NAME -> {
                        String name = p.currentName();
                        if (!in.keys.add(name) && found.isEmpty()) {
                            found = Optional.of(quoted(name) + " in " + in.path);
                        }
                        in.name = name;
                    }
                    case START_OBJECT, START_ARRAY -> open.push(new Frame(in == null ? "$" : in.child(),
                            t == JsonToken.START_OBJECT));
                    case END_OBJECT, END_ARRAY -> open.pop();
                    default -> {
                        if (in != null) {
                            in.child(); // a scalar takes an array's index
                        }
                    }
                }
                if (open.isEmpty()) {
                    // only a whole JSON text counts: anything after it, and Python's json refuses it too
                    return p.nextToken() == null ? found : Optional.empty();
                }
            }
            return Optional.empty();
        } catch (StreamConstraintsException e) {
            throw new Refused(what + ": the JSON is too deeply nested or has too long a part for the server to check"
                    + " it for duplicate keys (" + e.getOriginalMessage() + ")");
        } catch (JacksonException e) {
            return Optional.empty(); // not JSON: the AWS CLI fails on it, or takes it as a plain string
        }
    }

    /** Where a member is: {@code .Name} for a plain name, {@code ["…"]} otherwise. */
    private static String member(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? "." + name : "[" + quoted(name) + "]";
    }

    /** A key in double quotes, control characters, quotes and backslashes escaped, at most 60 characters. */
    private static String quoted(String name) {
        StringBuilder sb = new StringBuilder("\"");
        String shown = AwsCli.abbreviate(name);
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || Character.isSurrogate(c) || c == 0x2028 || c == 0x2029) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
