package mastodon.s3sync.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private EnvFile() {
    }

    public static Map<String, String> read(Path file) throws IOException {
        return read(file, Map.of());
    }

    /** @param env the process environment, for {@code $NAME} references to variables the file does not set */
    public static Map<String, String> read(Path file, Map<String, String> env) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("env file " + file + " does not exist or is not a regular file");
        }
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), env);
    }

    public static Map<String, String> parse(List<String> lines) {
        return parse(lines, Map.of());
    }

    public static Map<String, String> parse(List<String> lines, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : lines) {
            String line = l.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ") || line.startsWith("export\t")) {
                line = line.substring("export".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue; // not an assignment: dotenv ignores such lines too
            }
            String key = line.substring(0, eq).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                continue;
            }
            String raw = line.substring(eq + 1).strip();
            String value;
            if (raw.startsWith("'")) {
                int end = raw.indexOf('\'', 1);
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
