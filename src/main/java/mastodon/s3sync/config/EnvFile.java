package mastodon.s3sync.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Mastodon {@code .env.production} as the dotenv gem (which Mastodon uses) does: {@code KEY=value} lines,
 * {@code #} comments, optional {@code export }, values in single quotes (taken literally) or double quotes
 * ({@code \n} and {@code \r} become line breaks, a backslash before any other character keeps that character), and
 * unquoted values, which end at the first {@code #} (dotenv needs {@code #} quoted; Mastodon's setup wizard quotes
 * it). In unquoted and double-quoted values {@code $NAME} and {@code ${NAME}} are replaced by an earlier variable of
 * the file, else the environment's, else nothing; {@code \$} is a literal {@code $}.
 */
public final class EnvFile {

    private static final Pattern VARIABLE = Pattern.compile("(\\\\)?\\$(\\{)?([A-Z0-9_]+)?(\\})?");
    /** Marks a {@code $} that was escaped or single-quoted, so substitution leaves it alone. */
    private static final char LITERAL_DOLLAR = '\uE000';
    /** Control characters other than tab: not something a person typed into an env file. */
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B-\\x1F\\x7F]");

    private EnvFile() {
    }

    /** Told about each line that cannot be read as an assignment: its number (from 1) and what is wrong. */
    @FunctionalInterface
    public interface Warnings {
        void warn(int line, String what);
    }

    private static final Warnings IGNORE = (line, what) -> {
    };

    public static Map<String, String> read(Path file) throws IOException {
        return read(file, Map.of());
    }

    /** @param env the process environment, for {@code $NAME} references to variables the file does not set */
    public static Map<String, String> read(Path file, Map<String, String> env) throws IOException {
        return read(file, env, IGNORE);
    }

    /**
     * As {@link #read(Path, Map)}, telling {@code warnings} about each line it skips or guesses at (never the line's
     * text: it may hold a secret). A line that is not UTF-8 text is skipped.
     */
    public static Map<String, String> read(Path file, Map<String, String> env, Warnings warnings) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("env file " + file + " does not exist or is not a regular file");
        }
        byte[] bytes = Files.readAllBytes(file);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                if (i == bytes.length && start == i) {
                    break;
                }
                int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                try {
                    lines.add(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, start, end - start)).toString());
                } catch (CharacterCodingException e) {
                    lines.add(null); // parse warns, in line order
                }
                start = i + 1;
            }
        }
        if (!lines.isEmpty() && lines.get(0) != null && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1)); // a byte order mark
        }
        return parse(lines, env, warnings);
    }

    public static Map<String, String> parse(List<String> lines) {
        return parse(lines, Map.of());
    }

    public static Map<String, String> parse(List<String> lines, Map<String, String> env) {
        return parse(lines, env, IGNORE);
    }

    public static Map<String, String> parse(List<String> lines, Map<String, String> env, Warnings warnings) {
        Map<String, String> out = new LinkedHashMap<>();
        int number = 0;
        for (String l : lines) {
            number++;
            if (l == null) {
                warnings.warn(number, "not UTF-8 text (binary data?), line ignored");
                continue;
            }
            String line = l.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (CONTROL.matcher(line).find()) {
                warnings.warn(number, "holds control characters (binary data?), line ignored");
                continue;
            }
            if (line.startsWith("export ") || line.startsWith("export\t")) {
                line = line.substring("export".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                warnings.warn(number, "not a NAME=value assignment (no '='), line ignored");
                continue; // dotenv ignores such lines too
            }
            String key = line.substring(0, eq).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                warnings.warn(number, key.isEmpty() ? "no variable name before '=', line ignored"
                        : "the text before '=' is not a variable name (letters, digits, _ and ., not first a digit), "
                                + "line ignored");
                continue;
            }
            String raw = line.substring(eq + 1).strip();
            String value;
            if (raw.startsWith("'")) {
                int end = raw.indexOf('\'', 1);
                if (end < 0) {
                    warnings.warn(number, "unclosed ' quote in the value of " + key + ", read to the end of the line");
                }
                value = (end > 0 ? raw.substring(1, end) : raw.substring(1)).replace('$', LITERAL_DOLLAR);
            } else if (raw.startsWith("\"")) {
                StringBuilder sb = new StringBuilder();
                int j = 1;
                boolean closed = false;
                while (j < raw.length()) {
                    char c = raw.charAt(j);
                    if (c == '\\' && j + 1 < raw.length()) {
                        char n = raw.charAt(j + 1);
                        sb.append(switch (n) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case '$' -> LITERAL_DOLLAR;
                            default -> n;
                        });
                        j += 2;
                        continue;
                    }
                    if (c == '"') {
                        closed = true;
                        break;
                    }
                    sb.append(c);
                    j++;
                }
                if (!closed) {
                    warnings.warn(number, "unclosed \" quote in the value of " + key + ", read to the end of the line");
                }
                value = closed ? sb.toString() : raw.substring(1);
            } else {
                int hash = raw.indexOf('#');
                value = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            }
            value = substitute(value, out, env).replace(LITERAL_DOLLAR, '$');
            out.put(key, value);
        }
        return out;
    }

    private static String substitute(String value, Map<String, String> file, Map<String, String> env) {
        if (value.indexOf('$') < 0) {
            return value;
        }
        Matcher m = VARIABLE.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(3);
            String replacement;
            if (m.group(1) != null) {
                replacement = m.group().substring(1);
            } else if (name == null) {
                replacement = m.group(); // a lone '$'
            } else {
                String v = file.containsKey(name) ? file.get(name) : env.get(name);
                replacement = (v == null ? "" : v) + (m.group(2) == null && m.group(4) != null ? "}" : "");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
