package mastodon.s3sync.copy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The object keys Mastodon writes for a database row, with the Content-Type and ACL it writes them with
 * (facts: Mastodon's paperclip.rb, schema.rb and models; the README summarises them). Rows are maps of lower-case
 * column names to JDBC values; a missing key counts as NULL.
 */
public final class MastodonKeys {

    private static final List<String> TABLES = List.of("media_attachments", "accounts", "custom_emojis",
            "preview_cards", "site_uploads", "preview_card_providers", "backups", "imports");

    /** The tables that only some Mastodon versions have: copied when present, skipped without error when not. */
    private static final Set<String> OPTIONAL_TABLES = Set.of("imports");

    private static final String OCTET_STREAM = "application/octet-stream";
    private static final String PNG = "image/png";
    private static final String JPEG = "image/jpeg";

    // MediaAttachment's MIME lists (Mastodon 4.x, app/models/media_attachment.rb)
    private static final Set<String> IMAGE_MIME_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/heic",
            "image/heif", "image/webp", "image/avif");
    private static final Set<String> IMAGE_CONVERTIBLE_MIME_TYPES = Set.of("image/heic", "image/heif", "image/avif");
    private static final Set<String> VIDEO_MIME_TYPES = Set.of("video/webm", "video/mp4", "video/quicktime",
            "video/ogg");

    /** Longest file name accepted: what a filesystem holds (Mastodon's own names are 16 hex digits + extension). */
    static final int MAX_FILE_NAME_BYTES = 255;

    /** A well-formed MIME type: type/subtype tokens, optional parameters, printable ASCII only. */
    private static final Pattern MIME_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*( *;[\\x20-\\x7e]*)?");

    /**
     * A style other than {@code original}.
     *
     * @param extension   the extension of its key (null: the original's)
     * @param contentType the type Mastodon writes it with (null: the row's)
     */
    private record Style(String name, String extension, String contentType) {
    }

    private static final List<Style> NONE = List.of();
    private static final List<Style> SMALL = List.of(new Style("small", null, null));
    private static final List<Style> SMALL_PNG = List.of(new Style("small", "png", PNG));
    private static final List<Style> SMALL_JPEG = List.of(new Style("small", "jpeg", JPEG));
    /** A non-animated GIF: the transcoder returns the file untouched, so its png-named small holds GIF bytes. */
    private static final List<Style> SMALL_GIF_AS_PNG = List.of(new Style("small", "png", "image/gif"));
    private static final List<Style> STATIC_PNG = List.of(new Style("static", "png", PNG));

    /** Creates the (stateless) key mapper. */
    public MastodonKeys() {
    }

    /**
     * The tables that hold Mastodon attachments, in the order they are copied.
     *
     * @return media_attachments, accounts, custom_emojis, preview_cards, site_uploads, preview_card_providers,
     *         backups, imports
     */
    public static List<String> tables() {
        return TABLES;
    }

    /**
     * True for a table that only some Mastodon versions have ({@code imports}, dropped in 4.4): its absence from the
     * database is not an error.
     */
    public static boolean isOptional(String table) {
        return OPTIONAL_TABLES.contains(table);
    }

    /**
     * True when a stored Content-Type says nothing about the object: missing, empty, {@code binary/octet-stream} or
     * {@code application/octet-stream} (what listing-based copies leave behind). Such a type is replaced by the one
     * Mastodon's rules derive; any other type of the source object is kept as it is.
     */
    public static boolean isGenericContentType(String contentType) {
        if (contentType == null) {
            return true;
        }
        String t = contentType.strip().toLowerCase(Locale.ROOT);
        int semicolon = t.indexOf(';');
        if (semicolon >= 0) {
            t = t.substring(0, semicolon).strip();
        }
        return t.isEmpty() || t.equals("binary/octet-stream") || t.equals(OCTET_STREAM);
    }

    /**
     * Every object Mastodon wrote for one row: each attachment with a file name, in every style.
     *
     * @param table one of {@link #tables()}
     * @param row   the row's columns by lower-case name
     * @return the objects, attachment by attachment, {@code original} first; empty when no attachment has a file
     * @throws IllegalArgumentException for an unknown table, a row without a valid id, a file name that would
     *                                  produce a key outside its place (or is too long), or a malformed content type
     */
    public List<CopyTask> objectsFor(String table, Map<String, Object> row) {
        if (table == null || !TABLES.contains(table)) {
            throw new IllegalArgumentException("unknown table '" + table + "', known tables: " + String.join(", ", TABLES));
        }
        Object idValue = row.get("id");
        if (!(idValue instanceof Number number)) {
            throw new IllegalArgumentException(table + " row has no numeric id: " + idValue);
        }
        Row r = new Row(table, number.longValue(), row, new ArrayList<>());
        switch (table) {
            case "media_attachments" -> {
                String remoteUrl = text(row, "remote_url");
                boolean remote = remoteUrl != null && !remoteUrl.isEmpty();
                // private while the account is suspended, and (4.4+) when the status was removed but kept
                boolean privateAcl = Boolean.TRUE.equals(row.get("suspended"))
                        || Boolean.TRUE.equals(row.get("status_removed"));
                r.add("file", "files", remote, mediaStyles(text(row, "file_content_type")), privateAcl, null);
                r.add("thumbnail", "thumbnails", remote, NONE, privateAcl, null);
            }
            case "accounts" -> {
                boolean remote = row.get("domain") != null;
                r.add("avatar", "avatars", remote, gifStatic(text(row, "avatar_content_type")), false, null);
                r.add("header", "headers", remote, gifStatic(text(row, "header_content_type")), false, null);
            }
            case "custom_emojis" -> r.add("image", "images", row.get("domain") != null, STATIC_PNG, false, null);
            // PreviewCard stores a GIF as a JPEG (format 'jpg') under its .gif name
            case "preview_cards" -> r.add("image", "images", true, NONE, false,
                    "image/gif".equals(lower(text(row, "image_content_type"))) ? JPEG : null);
            case "site_uploads" -> r.add("file", "files", false, siteUploadStyles(text(row, "var")), false, null);
            case "preview_card_providers" -> r.add("icon", "icons", false, STATIC_PNG, false, null);
            case "backups" -> r.add("dump", "dumps", false, NONE, true, null);
            case "imports" -> r.add("data", "data", false, NONE, false, null);
        }
        return r.out;
    }

    /**
     * Mastodon's {@code id_partition}: ids below 1,000,000,000 zero-padded to 9 digits, larger ids to 12, then
     * cut into complete 3-digit groups (a trailing remainder of 1–2 digits is dropped).
     *
     * @param id a row id, not negative
     * @return for example {@code 045/027/478} or {@code 108/892/712/797/543/112}
     */
    public static String idPartition(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("negative id " + id);
        }
        // zero-padded to 9 or 12 digits (as "%09d" / "%012d", without a Formatter per row: the dry run's hot path)
        String plain = Long.toString(id);
        int width = Math.max(plain.length(), id < 1_000_000_000L ? 9 : 12);
        StringBuilder digits = new StringBuilder(width);
        for (int i = plain.length(); i < width; i++) {
            digits.append('0');
        }
        digits.append(plain);
        StringBuilder groups = new StringBuilder(width + width / 3);
        for (int i = 0; i + 3 <= width; i += 3) {
            if (i > 0) {
                groups.append('/');
            }
            groups.append(digits, i, i + 3);
        }
        return groups.toString();
    }

    /**
     * The styles of a media file besides {@code original}, by its content type and Mastodon's MIME lists
     * ({@code MediaAttachment#file_styles}): images have a {@code small} (png-named but GIF bytes for a
     * non-animated GIF, jpeg for converted HEIC/HEIF/AVIF), videos a png {@code small}; audio, {@code video/x-ms-asf}
     * (an audio type to Mastodon) and anything else only the original.
     */
    private static List<Style> mediaStyles(String contentType) {
        String type = lower(contentType);
        if (type.equals("image/gif")) {
            return SMALL_GIF_AS_PNG;
        }
        if (VIDEO_MIME_TYPES.contains(type)) {
            return SMALL_PNG;
        }
        if (IMAGE_CONVERTIBLE_MIME_TYPES.contains(type)) {
            return SMALL_JPEG;
        }
        return IMAGE_MIME_TYPES.contains(type) ? SMALL : NONE;
    }

    /** Content types already found well-formed: a few dozen in a real database, so the pattern runs once each. */
    private static final Set<String> WELL_FORMED = java.util.concurrent.ConcurrentHashMap.newKeySet();

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

    /** Avatars and headers: a png {@code static} only for gifs. */
    private static List<Style> gifStatic(String contentType) {
        return lower(contentType).equals("image/gif") ? STATIC_PNG : NONE;
    }

    /** The png styles of a site upload, chosen by its {@code var}. */
    private static List<Style> siteUploadStyles(String var) {
        List<String> names = switch (var == null ? "" : var) {
            case "thumbnail" -> List.of("@1x", "@2x");
            case "favicon" -> List.of("16", "32", "48");
            case "app_icon" -> List.of("36", "48", "57", "60", "72", "76", "96", "114", "120", "144", "152", "167",
                    "180", "192", "256", "384", "512", "1024");
            default -> List.of();
        };
        return names.stream().map(name -> new Style(name, "png", PNG)).toList();
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? null : value.toString();
    }

    /** One row being mapped, collecting its objects. */
    private record Row(String table, long id, Map<String, Object> columns, List<CopyTask> out) {

        /**
         * Adds the objects of one attachment, unless its file name is NULL or empty (Paperclip: no file).
         *
         * @param remote       true when the row is remote, so that a storage schema version ≥ 1 puts it under cache/
         * @param originalType the Content-Type of the original when it is not the row's (null: the row's)
         */
        void add(String attachment, String segment, boolean remote, List<Style> styles, boolean privateAcl,
                 String originalType) {
            String fileName = text(columns, attachment + "_file_name");
            if (fileName == null || fileName.isEmpty()) {
                return;
            }
            checkFileName(attachment, fileName);
            String contentType = text(columns, attachment + "_content_type");
            if (contentType == null || contentType.isBlank()) {
                contentType = OCTET_STREAM;
            } else if (!wellFormedType(contentType)) {
                throw new IllegalArgumentException(table + " " + id + ": " + attachment + "_content_type '"
                        + printable(contentType) + "' is not a MIME type");
            }
            Object version = columns.get(attachment + "_storage_schema_version");
            boolean cached = remote && version instanceof Number n && n.longValue() >= 1;
            String dir = (cached ? "cache/" : "") + table + "/" + segment + "/" + idPartition(id) + "/";
            out.add(new CopyTask(table, id, dir + "original/" + fileName,
                    originalType == null ? contentType : originalType, privateAcl));
            int dot = fileName.lastIndexOf('.');
            String baseName = dot > 0 ? fileName.substring(0, dot) : fileName;
            for (Style style : styles) {
                String name = style.extension() == null ? fileName : baseName + "." + style.extension();
                out.add(new CopyTask(table, id, dir + style.name() + "/" + name,
                        style.contentType() == null ? contentType : style.contentType(), privateAcl));
            }
        }

        /**
         * Refuses a name Paperclip never stores (it replaces slashes, backslashes and the like with {@code _}): one
         * that would move the key elsewhere (a slash or backslash, {@code .}, {@code ..}), control characters
         * (header and log injection), or a name longer than a filesystem holds.
         */
        private void checkFileName(String attachment, String fileName) {
            String why = null;
            if (fileName.contains("/") || fileName.contains("\\") || fileName.equals("..") || fileName.equals(".")) {
                why = "would make a key outside its place";
            } else if (fileName.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                why = "holds control characters";
            } else if (fileName.contains("${") || fileName.contains("$simple{")) {
                // camel-aws2-s3 evaluates a key holding an expression (AWS2S3Utils.determineKey)
                why = "holds '${', which the S3 component would evaluate as an expression";
            } else if (fileName.getBytes(StandardCharsets.UTF_8).length > MAX_FILE_NAME_BYTES) {
                why = "is longer than " + MAX_FILE_NAME_BYTES + " bytes";
            }
            if (why != null) {
                throw new IllegalArgumentException(table + " " + id + ": " + attachment + "_file_name '"
                        + printable(fileName) + "' " + why);
            }
        }
    }

    /** The value for a message: control characters escaped, cut at 120 characters. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 120; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format(Locale.ROOT, "\\x%02x", (int) c) : String.valueOf(c));
        }
        return s.length() > 120 ? b + "..." : b.toString();
    }
}
