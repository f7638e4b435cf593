package mastodon.s3sync.mirror;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The mirror's config file, in the format of the original tool:
 * {@code {"queue": "transport-dev", "sync": {"test-folder/": "/srv/a", "test-folder/folder-01/": "/srv/b"}}}, with
 * the optional keys {@code bucket} (needed by --resync), {@code region}, {@code sqs_endpoint} and
 * {@code s3_endpoint}. {@code queue} is a queue name or a queue URL. Directories must be absolute paths.
 *
 * @param warnings things worth telling the admin that do not stop the mirror (unknown keys)
 */
public record MirrorConfig(Path file, String queue, String bucket, String region, String sqsEndpoint,
                           String s3Endpoint, Map<String, Path> sync, List<String> warnings) {

    private static final Set<String> KNOWN = Set.of("queue", "sync", "bucket", "region", "sqs_endpoint", "s3_endpoint");

    /** @throws IllegalArgumentException with a message naming the file, the problem and the fix */
    public static MirrorConfig read(Path file) {
        String where = "mirror config file '" + file + "'";
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(where + " does not exist. Fix: pass --config with the path of the JSON "
                    + "file ({\"queue\": \"NAME\", \"sync\": {\"prefix/\": \"/local/dir\"}}).");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(where + " cannot be read. Fix: check that it is a file and its "
                    + "permissions.");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + " is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage() + ").");
        } catch (IOException e) {
            throw new IllegalArgumentException(where + " cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + " must hold a JSON object: {\"queue\": \"NAME\", \"sync\": "
                    + "{\"prefix/\": \"/local/dir\"}}.");
        }
        List<String> warnings = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!KNOWN.contains(k)) {
                warnings.add(where + ": unknown key '" + k + "' ignored (known: queue, sync, bucket, region, "
                        + "sqs_endpoint, s3_endpoint)");
            }
        }
        String queue = text(root, "queue", where);
        if (queue == null || queue.isBlank()) {
            throw new IllegalArgumentException(where + " has no \"queue\". Fix: add \"queue\": \"NAME\" (the SQS queue "
                    + "name, or its URL).");
        }
        JsonNode sync = root.get("sync");
        if (sync == null || !sync.isObject() || sync.isEmpty()) {
            throw new IllegalArgumentException(where + " has no \"sync\" mapping. Fix: add \"sync\": {\"key/prefix/\": "
                    + "\"/local/directory\"} with at least one entry.");
        }
        Map<String, Path> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = sync.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isTextual() || v.asText().isBlank()) {
                throw new IllegalArgumentException(where + ": the directory of prefix '" + e.getKey() + "' must be a "
                        + "path string.");
            }
            String dir = v.asText();
            if (dir.indexOf('\0') >= 0 || !Path.of(dir).isAbsolute()) {
                throw new IllegalArgumentException(where + ": the directory '" + dir + "' of prefix '" + e.getKey()
                        + "' is not an absolute path. Fix: write it from the root, e.g. /srv/www/" + ".");
            }
            map.put(e.getKey(), Path.of(dir).normalize());
        }
        return new MirrorConfig(file, queue.strip(), blankToNull(text(root, "bucket", where)),
                blankToNull(text(root, "region", where)), blankToNull(text(root, "sqs_endpoint", where)),
                blankToNull(text(root, "s3_endpoint", where)), map, warnings);
    }

    public PrefixMapping mapping() {
        return new PrefixMapping(sync);
    }

    /** Whether {@code queue} is a URL rather than a name. */
    public static boolean isUrl(String queue) {
        return queue.startsWith("http://") || queue.startsWith("https://");
    }

    /** The queue name of a queue URL (its last path segment), or the name itself. */
    public static String queueName(String queue) {
        if (!isUrl(queue)) {
            return queue;
        }
        String s = queue.endsWith("/") ? queue.substring(0, queue.length() - 1) : queue;
        return s.substring(s.lastIndexOf('/') + 1);
    }

    private static String text(JsonNode root, String field, String where) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a string.");
        }
        return v.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
