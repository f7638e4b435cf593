package mastodon.s3sync.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The effective configuration: Mastodon's own variable names ({@code DB_*}, {@code DATABASE_URL}, {@code S3_*},
 * {@code AWS_*}) for the source store and the database, the same names prefixed with {@code TARGET_} for the target
 * store, and every other key from {@code application.properties} overridable by an environment variable in Camel's
 * form ({@code copy.page-size} -> {@code COPY_PAGE_SIZE}).
 *
 * <p>Precedence, highest first: real environment, the env file ({@code --env-file} / {@code MASTODON_ENV_FILE}),
 * {@code application.properties}, built-in default. Every value remembers where it came from, so the {@code config}
 * command can show it, and which values are secret, so nothing prints them.
 */
public final class Settings {

    /** One effective value and where it came from. */
    public record Value(String value, String origin, boolean secret) {
        public String display() {
            return value == null ? "(unset)" : secret ? mask(value) : value;
        }
    }

    /**
     * How the user named a setting and where: the variable ({@code COPY_PAGE_SIZE}) or property key
     * ({@code copy.page-size}), and {@code environment}, {@code env file NAME} or {@code application.properties}.
     */
    public record Source(String name, String where) {
    }

    private final Map<String, String> env;
    private final Map<String, String> envFile;
    private final String envFileName;
    private final java.nio.file.Path envFileDir;
    private final Properties props;
    private final Map<String, Value> values = new TreeMap<>();
    final List<String> problems = new ArrayList<>();
    final Map<String, Source> sources = new TreeMap<>();

    public Settings(Map<String, String> env, Map<String, String> envFile, String envFileName, Properties props) {
        this(env, envFile, envFileName, null, props);
    }

    /**
     * @param envFileDir the directory holding the env file (Mastodon's directory, its {@code Rails.root}), absolute;
     *                   null without an env file. Local storage defaults to {@code public/system} in it.
     */
    public Settings(Map<String, String> env, Map<String, String> envFile, String envFileName,
                    java.nio.file.Path envFileDir, Properties props) {
        this.env = env;
        this.envFile = envFile == null ? Map.of() : envFile;
        this.envFileName = envFileName;
        this.envFileDir = envFileDir;
        this.props = props;
        resolve();
    }

    public Map<String, Value> values() {
        return values;
    }

    public String get(String key) {
        Value v = values.get(key);
        return v == null ? null : v.value();
    }

    /** How the user named {@code key}, and where; the property key itself for a built-in default. */
    public Source sourceOf(String key) {
        Source s = sources.get(key);
        return s != null ? s : new Source(key, "default");
    }

    /** Configuration errors found while resolving (an unparseable DATABASE_URL, say), each naming the fix. */
    public List<String> problems() {
        return problems;
    }

    /** The values as Camel properties, to hand to Camel Main as overrides. */
    public Map<String, String> asProperties() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v.value() != null) {
                out.put(k, v.value());
            }
        });
        return out;
    }

    private void resolve() {
        store("source", "");
        store("target", "TARGET_");
        storeKind("source", "");
        storeKind("target", "TARGET_");
        DatabaseSettings.resolve(this);
        // every other key of application.properties, with Camel's environment override
        for (String key : props.stringPropertyNames()) {
            if (values.containsKey(key) || key.startsWith("camel.")) {
                continue;
            }
            String envName = key.toUpperCase().replace('.', '_').replace('-', '_');
            boolean secret = isSecretName(key);
            Value v = first(secret, envName, key, null);
            values.put(key, v);
        }
    }

    private void store(String side, String envPrefix) {
        boolean target = !envPrefix.isEmpty();
        put(side + ".bucket", first(false, envPrefix + "S3_BUCKET", side + ".bucket", null));
        put(side + ".region", first(false, envPrefix + "S3_REGION", side + ".region", "us-east-1"));
        Value protocol = first(false, envPrefix + "S3_PROTOCOL", side + ".protocol", "https");
        Value endpoint = first(false, envPrefix + "S3_ENDPOINT", side + ".endpoint", null);
        // S3_HOSTNAME is only what Mastodon puts in public URLs; without S3_ENDPOINT the API is AWS's for the region
        if (endpoint.value() != null && !endpoint.value().isBlank() && !endpoint.value().contains("://")) {
            endpoint = new Value(protocol.value() + "://" + endpoint.value(), endpoint.origin(), false);
        }
        put(side + ".endpoint", endpoint);
        // Mastodon: with S3_ENDPOINT set, path-style addressing unless S3_OVERRIDE_PATH_STYLE=true
        Value override = first(false, envPrefix + "S3_OVERRIDE_PATH_STYLE", side + ".override-path-style", null);
        boolean hasEndpoint = endpoint.value() != null && !endpoint.value().isBlank();
        boolean pathStyle = hasEndpoint && !"true".equalsIgnoreCase(override.value());
        put(side + ".path-style", new Value(Boolean.toString(pathStyle),
                override.value() != null ? override.origin() : (hasEndpoint ? "derived from endpoint" : "default"), false));
        put(side + ".access-key", first(true, envPrefix + "AWS_ACCESS_KEY_ID", side + ".access-key", null));
        put(side + ".secret-key", first(true, envPrefix + "AWS_SECRET_ACCESS_KEY", side + ".secret-key", null));
        Value prefix = first(false, envPrefix + "S3_KEY_PREFIX", side + ".key-prefix", null);
        Value permission = first(false, envPrefix + "S3_PERMISSION", side + ".permission", null);
        if (target) {
            if (prefix.value() == null) {
                Value src = values.get("source.key-prefix");
                prefix = new Value(src.value(), "same as source (" + src.origin() + ")", false);
                sources.put(side + ".key-prefix", sourceOf("source.key-prefix"));
            }
            if (permission.value() == null) {
                Value src = values.get("source.permission");
                permission = new Value(src.value(), "same as source (" + src.origin() + ")", false);
                sources.put(side + ".permission", sourceOf("source.permission"));
            }
            put(side + ".storage-class", first(false, "TARGET_S3_STORAGE_CLASS", side + ".storage-class", ""));
        } else if (permission.value() == null) {
            permission = new Value("public-read", "default", false);
        }
        put(side + ".key-prefix", new Value(prefix.value() == null ? "" : prefix.value(), prefix.origin(), false));
        put(side + ".permission", permission);
    }

    /**
     * Whether a side is a bucket or a directory, and the directory's root. Mastodon stores files in S3 only when
     * {@code S3_ENABLED} is exactly {@code true}; otherwise under {@code PAPERCLIP_ROOT_PATH} (default
     * {@code :rails_root/public/system}, Rails.root being the directory of {@code .env.production}).
     * <ul>
     * <li>source: a bucket when {@code S3_ENABLED=true}; a directory when it is set to anything else; when it is unset,
     * a bucket if one is configured ({@code S3_BUCKET} or {@code S3_ENDPOINT}), else a directory.</li>
     * <li>target: a directory when {@code TARGET_S3_ENABLED} is set and not {@code true}, rooted at
     * {@code TARGET_PAPERCLIP_ROOT_PATH}; else a bucket.</li>
     * </ul>
     * The root is left unset when nothing names it; the copy's checks say what to set.
     */
    private void storeKind(String side, String envPrefix) {
        boolean target = !envPrefix.isEmpty();
        Value enabled = first(false, envPrefix + "S3_ENABLED", side + ".s3-enabled", null);
        String set = enabled.value() == null ? null : enabled.value().strip();
        String enabledName = envPrefix + "S3_ENABLED";
        Value kind;
        if (set != null && !set.isEmpty()) {
            kind = set.equals("true") ? new Value("bucket", enabled.origin(), false)
                    : new Value("directory", enabled.origin() + ": " + enabledName + " is not 'true'", false);
        } else if (target) {
            kind = new Value("bucket", "default (" + enabledName + " unset)", false);
        } else {
            String bucket = get(side + ".bucket");
            String endpoint = get(side + ".endpoint");
            kind = bucket != null && !bucket.isBlank() || endpoint != null && !endpoint.isBlank()
                    ? new Value("bucket", "S3_BUCKET or S3_ENDPOINT is set (S3_ENABLED unset)", false)
                    : new Value("directory", "S3_ENABLED, S3_BUCKET and S3_ENDPOINT unset: Mastodon's local storage",
                    false);
        }
        put(side + ".kind", kind);
        Value root = first(false, envPrefix + "PAPERCLIP_ROOT_PATH", side + ".root", null);
        if (root.value() != null && !root.value().isBlank()) {
            String r = root.value().strip();
            if (envFileDir != null) {
                // Mastodon's default is ':rails_root/public/system'; Paperclip interpolates :rails_root
                r = r.replace(":rails_root", envFileDir.toString());
                if (!java.nio.file.Path.of(r).isAbsolute()) {
                    r = envFileDir.resolve(r).normalize().toString();
                }
            }
            root = new Value(r, root.origin(), false);
        } else if (!target && envFileDir != null) {
            root = new Value(envFileDir.resolve("public").resolve("system").toString(),
                    "default: public/system beside the env file", false);
        } else {
            root = new Value(null, "unset", false);
        }
        put(side + ".root", root);
        if (kind.value().equals("directory")) {
            // a directory's keys are its paths: no key prefix, on that side nor (by default) on the other
            put(side + ".key-prefix", new Value("", "none: the " + side + " is a directory", false));
            Value other = values.get("target.key-prefix");
            if (!target && other != null && other.origin().startsWith("same as source")) {
                put("target.key-prefix", new Value("", "none (TARGET_S3_KEY_PREFIX unset)", false));
            }
        }
    }

    void put(String key, Value v) {
        values.put(key, v);
    }

    /** The first of: environment variable, env file variable, application.properties key, default. */
    Value first(boolean secret, String envName, String propKey, String dflt) {
        if (envName != null && env.containsKey(envName)) {
            sources.put(propKey, new Source(envName, "environment"));
            return new Value(env.get(envName), "environment (" + envName + ")", secret);
        }
        if (envName != null && envFile.containsKey(envName)) {
            sources.put(propKey, new Source(envName, "env file " + envFileName));
            return new Value(envFile.get(envName), "env file " + envFileName + " (" + envName + ")", secret);
        }
        if (propKey != null && props.containsKey(propKey)) {
            sources.put(propKey, new Source(propKey, "application.properties"));
            String p = props.getProperty(propKey);
            if (!p.isEmpty() || dflt == null) {
                return new Value(p.isEmpty() && dflt == null ? null : p, "application.properties (" + propKey + ")", secret);
            }
        }
        return new Value(dflt, "default", secret);
    }

    public static boolean isSecretName(String key) {
        String k = key.toLowerCase();
        return k.contains("secret") || k.contains("password") || k.contains("passphrase") || k.endsWith("access-key")
                || k.contains("token");
    }

    /** Shows that a secret is set, and its length class, never its content. */
    public static String mask(String secret) {
        if (secret.isEmpty()) {
            return "(empty)";
        }
        return "****** (set, " + secret.length() + " chars)";
    }
}
