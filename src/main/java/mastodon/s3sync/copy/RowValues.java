package mastodon.s3sync.copy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What a row's file names and content types must be before they go into a key or a header: the names Paperclip
 * stores, well-formed MIME types. A value that is not is refused with a message naming the row.
 */
final class RowValues {

    /** Longest file name accepted: what a filesystem holds (Mastodon's own names are 16 hex digits + extension). */
    static final int MAX_FILE_NAME_BYTES = 255;

    /** A well-formed MIME type: type/subtype tokens, optional parameters, printable ASCII only. */
    private static final Pattern MIME_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*( *;[\\x20-\\x7e]*)?");

    /** Content types already found well-formed: a few dozen in a real database, so the pattern runs once each. */
    private static final Set<String> WELL_FORMED = ConcurrentHashMap.newKeySet();

    private RowValues() {
    }

    /**
     * Refuses a name Paperclip never stores (it replaces slashes, backslashes and the like with {@code _}): one
     * that would move the key elsewhere (a slash or backslash, {@code .}, {@code ..}), control characters
     * (header and log injection), or a name longer than a filesystem holds.
     *
     * The good path allocates nothing (a dry run checks every row): one pass over the characters, the message only
     * built for a refusal.
     *
     * @param table      the row's table, for the message ("accounts 7: avatar")
     * @param id         the row's id, for the message
     * @param attachment the attachment, for the message
     */
    static void checkFileName(String table, long id, String attachment, String fileName) {
        boolean slash = false;
        boolean control = false;
        boolean expression = false;
        for (int i = 0; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            if (c == '/' || c == '\\') {
                slash = true;
            } else if (c < 0x20 || c == 0x7f) {
                control = true;
            } else if (c == '{' && i > 0 && fileName.charAt(i - 1) == '$'
                    || c == '$' && fileName.startsWith("simple{", i + 1)) {
                expression = true;
            }
        }
        String why = null;
        if (slash || fileName.equals("..") || fileName.equals(".")) {
            why = "would make a key outside its place";
        } else if (control) {
            why = "holds control characters";
        } else if (expression) {
            // camel-aws2-s3 evaluates a key holding an expression (AWS2S3Utils.determineKey)
            why = "holds '${', which the S3 component would evaluate as an expression";
        } else if (fileName.length() * 3 > MAX_FILE_NAME_BYTES // at most 3 UTF-8 bytes per char: no need to count
                && fileName.getBytes(StandardCharsets.UTF_8).length > MAX_FILE_NAME_BYTES) {
            why = "is longer than " + MAX_FILE_NAME_BYTES + " bytes";
        }
        if (why != null) {
            throw new IllegalArgumentException(table + " " + id + ": " + attachment + "_file_name '"
                    + printable(fileName) + "' " + why);
        }
    }

    /** Refuses a content type that is not a MIME type; table, id and attachment say where, for the message. */
    static void checkContentType(String table, long id, String attachment, String contentType) {
        if (!wellFormedType(contentType)) {
            throw new IllegalArgumentException(table + " " + id + ": " + attachment + "_content_type '"
                    + printable(contentType) + "' is not a MIME type");
        }
    }

    private static boolean wellFormedType(String contentType) {
        if (WELL_FORMED.contains(contentType)) {
            return true;
        }
        boolean ok = MIME_TYPE.matcher(contentType).matches();
        if (ok && WELL_FORMED.size() < 1000) {
            WELL_FORMED.add(contentType);
        }
        return ok;
    }

    /** The value for a message: control characters escaped, cut at 120 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 120; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format(Locale.ROOT, "\\x%02x", (int) c) : String.valueOf(c));
        }
        return s.length() > 120 ? b + "..." : b.toString();
    }
}
