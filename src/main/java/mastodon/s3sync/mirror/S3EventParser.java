package mastodon.s3sync.mirror;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Tells the shapes of an SQS message body apart (see the S3 event facts): a plain S3 notification with
 * {@code Records}, the {@code s3:TestEvent} sent when a notification is configured, the same two wrapped in an SNS
 * envelope ({@code "Type":"Notification"} with the S3 JSON as the {@code Message} string), and anything else.
 *
 * <p>Object keys arrive form-encoded: {@code +} is a space, {@code %2B} a plus, {@code %3D} an equals sign, non-ASCII
 * characters UTF-8 percent escapes, and some servers send {@code /} as {@code %2F}. They are decoded here once, with
 * form decoding.
 */
public final class S3EventParser {

    /** Bucket names as S3 and compatible servers allow them (older S3 buckets: upper case and underscores too). */
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,254}");

    private final ObjectMapper json = new ObjectMapper();

    /** Parses a body given as text (the route unmarshals with camel-jackson and calls {@link #notification(JsonNode)}). */
    public S3Notification parse(String body) {
        if (body == null || body.isBlank()) {
            return S3Notification.unknown("empty body");
        }
        try {
            return notification(json.readTree(body));
        } catch (JsonProcessingException e) {
            return S3Notification.unknown("not JSON");
        }
    }

    /** What a message body, unmarshalled by the route, is. */
    public S3Notification notification(JsonNode root) {
        return parse(root, false);
    }

    private S3Notification parse(JsonNode root, boolean inSns) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return S3Notification.unknown("empty body");
        }
        if (!root.isObject()) {
            return S3Notification.unknown("JSON " + root.getNodeType().name().toLowerCase() + ", not an object");
        }
        if (!inSns && "Notification".equals(text(root, "Type")) && root.path("Message").isTextual()) {
            JsonNode inner;
            try {
                inner = json.readTree(root.get("Message").asText());
            } catch (JsonProcessingException e) {
                return S3Notification.unknown("SNS notification whose Message is not JSON");
            }
            S3Notification n = parse(inner, true);
            return new S3Notification(n.kind(), n.records(), n.reason(), true);
        }
        String event = text(root, "Event");
        if (event != null && stripS3(event).equals("TestEvent")) {
            return new S3Notification(S3Notification.Kind.TEST, List.of(), null, inSns);
        }
        JsonNode records = root.get("Records");
        if (records == null || !records.isArray()) {
            if (root.has("detail-type") && root.has("source")) {
                return S3Notification.unknown("an EventBridge event, not an S3 notification");
            }
            return S3Notification.unknown("JSON without Records, not an S3 notification");
        }
        if (records.isEmpty()) {
            return S3Notification.unknown("Records is empty");
        }
        List<S3Event> out = new ArrayList<>();
        for (JsonNode r : records) {
            out.add(record(r));
        }
        return new S3Notification(S3Notification.Kind.RECORDS, out, null, inSns);
    }

    S3Event record(JsonNode r) {
        String name = text(r, "eventName");
        JsonNode s3 = r.path("s3");
        String bucket = text(s3.path("bucket"), "name");
        JsonNode object = s3.path("object");
        String rawKey = text(object, "key");
        long size = object.path("size").isNumber() ? object.path("size").asLong() : -1;
        String eTag = text(object, "eTag");
        String versionId = text(object, "versionId");
        String sequencer = text(object, "sequencer");
        String problem = null;
        if (name == null) {
            problem = "record without eventName (or not a string)";
        } else if (bucket == null || bucket.isEmpty()) {
            problem = "record without s3.bucket.name (or not a string)";
        } else if (!BUCKET.matcher(bucket).matches()) {
            problem = "s3.bucket.name is not a bucket name";
        } else if (rawKey == null) {
            problem = "record without s3.object.key (or not a string)";
        } else if (object.has("sequencer") && !object.get("sequencer").isNull() && sequencer == null) {
            problem = "s3.object.sequencer is not a string";
        }
        String key = rawKey;
        if (problem == null) {
            try {
                key = decodeKey(rawKey);
            } catch (IllegalArgumentException e) {
                problem = "key is not valid form encoding";
            }
        }
        if (sequencer != null && !sequencer.matches("[0-9A-Fa-f]+")) {
            problem = problem != null ? problem : "sequencer is not hexadecimal";
        }
        return new S3Event(name == null ? null : stripS3(name), bucket, key, size, eTag, versionId, sequencer, problem);
    }

    /** Form decoding: {@code +} -> space, {@code %XX} -> UTF-8 bytes (including {@code %2F} -> {@code /}). */
    public static String decodeKey(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    private static String stripS3(String eventName) {
        return eventName.startsWith("s3:") ? eventName.substring(3) : eventName;
    }

    /** A string field; null when absent or of another type (a number where a key should be is not a key). */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
