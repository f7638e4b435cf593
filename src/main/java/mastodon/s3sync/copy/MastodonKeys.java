package mastodon.s3sync.copy;

import static mastodon.s3sync.copy.MastodonStyles.JPEG;
import static mastodon.s3sync.copy.MastodonStyles.NONE;
import static mastodon.s3sync.copy.MastodonStyles.STATIC_PNG;
import static mastodon.s3sync.copy.MastodonStyles.gifStatic;
import static mastodon.s3sync.copy.MastodonStyles.lower;
import static mastodon.s3sync.copy.MastodonStyles.siteUpload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import mastodon.s3sync.copy.MastodonStyles.Style;

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
                r.add("file", "files", remote, MastodonStyles.media(text(row, "file_content_type")), privateAcl, null);
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
            case "site_uploads" -> r.add("file", "files", false, siteUpload(text(row, "var")), false, null);
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
            RowValues.checkFileName(table, id, attachment, fileName);
            String contentType = text(columns, attachment + "_content_type");
            if (contentType == null || contentType.isBlank()) {
                contentType = OCTET_STREAM;
            } else {
                RowValues.checkContentType(table, id, attachment, contentType);
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
    }
}
