package mastodon.s3sync.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The secret settings (store secret keys, database password and URL, SSH key passphrase, ...) of one command, kept
 * out of Camel's property placeholders: Camel logs every placeholder it resolves, with its value, at DEBUG and TRACE
 * ({@code Found property: target.secret-key with value: ...}) and lists override properties in its start-up summary,
 * masking only the names it knows. The beans that need a secret read it from here; Camel never sees one.
 */
public final class SecretValues {

    /** The registry name of this bean. */
    public static final String BEAN = "secretValues";

    private final Map<String, String> values;

    public SecretValues(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** True for a key whose value must come from here, never from Camel: secret by name, or held here. */
    public boolean holds(String key) {
        return values.containsKey(key) || Settings.isSecretName(key);
    }

    /** The secret, or null when it is not set. */
    public String get(String key) {
        return values.get(key);
    }

    public Set<String> keys() {
        return new TreeMap<>(values).keySet();
    }

    @Override
    public String toString() {
        return "SecretValues" + keys() + " (values not shown)";
    }
}
