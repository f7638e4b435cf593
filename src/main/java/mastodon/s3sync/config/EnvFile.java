package mastodon.s3sync.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Mastodon {@code .env.production}: {@code KEY=value} lines, {@code #} comments, optional {@code export },
 * values in single quotes (taken literally) or double quotes (with {@code \n}, {@code \"} and {@code \\} escapes),
 * and unquoted values that end at an inline {@code " #"} comment. The format dotenv (used by Mastodon) accepts.
 */
public final class EnvFile {

    private EnvFile() {
    }

    public static Map<String, String> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("env file " + file + " does not exist or is not a regular file");
        }
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    public static Map<String, String> parse(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
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
                value = end > 0 ? raw.substring(1, end) : raw.substring(1);
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
                            case 't' -> '\t';
                            case 'r' -> '\r';
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
                int hash = raw.indexOf(" #");
                value = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            }
            out.put(key, value);
        }
        return out;
    }
}
