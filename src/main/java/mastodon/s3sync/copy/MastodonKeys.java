package mastodon.s3sync.copy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The object keys Mastodon writes for a database row, with the Content-Type and ACL it writes them with
 * (facts: Mastodon's paperclip.rb, schema.rb and models; the README summarises them). Rows are maps of lower-case
 * column names to JDBC values; a missing key counts as NULL.
 */
public final class MastodonKeys {

    private static final List<String> TABLES = List.of("media_attachments", "accounts", "custom_emojis",
            "preview_cards", "site_uploads", "preview_card_providers", "backups");

    private static final String OCTET_STREAM = "application/octet-stream";
    private static final String PNG = "image/png";

    /** A style other than {@code original}: stored as png, or with the original's extension and type. */
    private record Style(String name, boolean png) {
    }

    private static final List<Style> NONE = List.of();
    private static final List<Style> SMALL = List.of(new Style("small", false));
    private static final List<Style> SMALL_PNG = List.of(new Style("small", true));
    private static final List<Style> STATIC_PNG = List.of(new Style("static", true));

    /** Creates the (stateless) key mapper. */
    public MastodonKeys() {
    }

    /**
     * The tables that hold Mastodon attachments, in the order they are copied.
     *
     * @return media_attachments, accounts, custom_emojis, preview_cards, site_uploads, preview_card_providers,
     *         backups
     */
    public static List<String> tables() {
        return TABLES;
    }

    /**
     * Every object Mastodon wrote for one row: each attachment with a file name, in every style.
     *
     * @param table one of {@link #tables()}
     * @param row   the row's columns by lower-case name
     * @return the objects, attachment by attachment, {@code original} first; empty when no attachment has a file
     * @throws IllegalArgumentException for an unknown table, a row without a valid id, or a file name that would
     *                                  produce a key outside its place
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
                boolean suspended = Boolean.TRUE.equals(row.get("suspended"));
                r.add("file", "files", remote, mediaStyles(text(row, "file_content_type")), suspended);
                r.add("thumbnail", "thumbnails", remote, NONE, suspended);
            }
            case "accounts" -> {
                boolean remote = row.get("domain") != null;
                r.add("avatar", "avatars", remote, gifStatic(text(row, "avatar_content_type")), false);
                r.add("header", "headers", remote, gifStatic(text(row, "header_content_type")), false);
            }
            case "custom_emojis" -> r.add("image", "images", row.get("domain") != null, STATIC_PNG, false);
            case "preview_cards" -> r.add("image", "images", true, NONE, false);
            case "site_uploads" -> r.add("file", "files", false, siteUploadStyles(text(row, "var")), false);
            case "preview_card_providers" -> r.add("icon", "icons", false, STATIC_PNG, false);
            case "backups" -> r.add("dump", "dumps", false, NONE, true);
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
        String digits = String.format(Locale.ROOT, id < 1_000_000_000L ? "%09d" : "%012d", id);
        StringJoiner groups = new StringJoiner("/");
        for (int i = 0; i + 3 <= digits.length(); i += 3) {
            groups.add(digits.substring(i, i + 3));
        }
        return groups.toString();
    }

    /** The styles of a media file besides {@code original}, by its content type. */
    private static List<Style> mediaStyles(String contentType) {
        String type = lower(contentType);
        if (type.equals("image/gif") || type.startsWith("video/")) {
            return SMALL_PNG;
        }
        return type.startsWith("image/") ? SMALL : NONE;
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
        return names.stream().map(name -> new Style(name, true)).toList();
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
         * Adds the objects of one attachment, unless its file name is NULL or empty.
         *
         * @param remote true when the row is remote, so that a storage schema version ≥ 1 puts it under cache/
         */
        void add(String attachment, String segment, boolean remote, List<Style> styles, boolean privateAcl) {
            String fileName = text(columns, attachment + "_file_name");
            if (fileName == null || fileName.isEmpty()) {
                return;
            }
            checkFileName(attachment, fileName);
            String contentType = text(columns, attachment + "_content_type");
            if (contentType == null || contentType.isEmpty()) {
                contentType = OCTET_STREAM;
            }
            Object version = columns.get(attachment + "_storage_schema_version");
            boolean cached = remote && version instanceof Number n && n.longValue() >= 1;
            String dir = (cached ? "cache/" : "") + table + "/" + segment + "/" + idPartition(id) + "/";
            out.add(new CopyTask(table, id, dir + "original/" + fileName, contentType, privateAcl));
            int dot = fileName.lastIndexOf('.');
            String baseName = dot > 0 ? fileName.substring(0, dot) : fileName;
            for (Style style : styles) {
                out.add(style.png()
                        ? new CopyTask(table, id, dir + style.name() + "/" + baseName + ".png", PNG, privateAcl)
                        : new CopyTask(table, id, dir + style.name() + "/" + fileName, contentType, privateAcl));
            }
        }

        private void checkFileName(String attachment, String fileName) {
            if (fileName.contains("/") || fileName.contains("\0") || fileName.equals("..") || fileName.equals(".")) {
                throw new IllegalArgumentException(table + " " + id + ": " + attachment + "_file_name '"
                        + fileName.replace("\0", "\\0") + "' would make a key outside its place");
            }
        }
    }
}
