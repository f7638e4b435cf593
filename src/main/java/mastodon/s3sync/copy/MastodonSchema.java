package mastodon.s3sync.copy;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.sql.DataSource;

/**
 * What the copy job finds in the database: the tables and columns it reads, and Mastodon's schema version (the newest
 * row of {@code schema_migrations}, as {@code db/schema.rb} writes it: {@code 2024_09_16_190140}). A database that
 * lacks a table or column the page queries need is not Mastodon's (or not 4.x): the job refuses it by name.
 *
 * @param version the schema version, or null when there is no {@code schema_migrations}
 * @param columns the columns of each table the job reads that exists (lower-case names)
 */
public record MastodonSchema(String version, Map<String, Set<String>> columns) {

    /** The columns each table's page query reads (media also joins accounts and statuses). */
    static final Map<String, List<String>> REQUIRED = new LinkedHashMap<>();

    static {
        REQUIRED.put("media_attachments", List.of("id", "account_id", "status_id", "file_file_name",
                "file_content_type", "file_storage_schema_version", "thumbnail_file_name", "thumbnail_content_type",
                "remote_url"));
        REQUIRED.put("accounts", List.of("id", "domain", "avatar_file_name", "avatar_content_type",
                "avatar_storage_schema_version", "header_file_name", "header_content_type",
                "header_storage_schema_version", "suspended_at"));
        REQUIRED.put("statuses", List.of("id"));
        REQUIRED.put("custom_emojis", List.of("id", "domain", "image_file_name", "image_content_type",
                "image_storage_schema_version"));
        REQUIRED.put("preview_cards", List.of("id", "image_file_name", "image_content_type",
                "image_storage_schema_version"));
        REQUIRED.put("site_uploads", List.of("id", "var", "file_file_name", "file_content_type"));
        REQUIRED.put("preview_card_providers", List.of("id", "icon_file_name", "icon_content_type"));
        REQUIRED.put("backups", List.of("id", "dump_file_name", "dump_content_type"));
        REQUIRED.put("imports", List.of("id", "data_file_name", "data_content_type"));
    }

    /**
     * Reads the tables the job knows and schema_migrations, as the connection's search path sees them.
     *
     * @throws SQLException when the catalog cannot be read
     */
    public static MastodonSchema read(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            Map<String, Set<String>> columns = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT table_name, column_name FROM "
                    + "information_schema.columns WHERE table_schema = (SELECT n.nspname FROM pg_class k JOIN "
                    + "pg_namespace n ON n.oid = k.relnamespace WHERE k.oid = to_regclass(quote_ident(table_name::text))) "
                    + "AND table_name = ANY (?)")) {
                List<String> names = new ArrayList<>(REQUIRED.keySet());
                names.add("schema_migrations");
                Array array = c.createArrayOf("varchar", names.toArray());
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        columns.computeIfAbsent(rs.getString(1), t -> new TreeSet<>()).add(rs.getString(2));
                    }
                }
            }
            String version = null;
            if (columns.getOrDefault("schema_migrations", Set.of()).contains("version")) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_migrations")) {
                    version = rs.next() ? rs.getString(1) : null;
                }
            }
            columns.remove("schema_migrations");
            return new MastodonSchema(version, columns);
        }
    }

    /**
     * Why a pass over these tables cannot run on this database, or null when it can. An optional table that is
     * absent ({@code imports} on 4.4+) is no problem; one that exists must have its columns.
     */
    public String problem(Set<String> tables) {
        Set<String> needed = new LinkedHashSet<>();
        for (String t : tables) {
            needed.add(t);
            if (t.equals("media_attachments")) {
                needed.add("accounts");
                needed.add("statuses");
            }
        }
        List<String> missing = new ArrayList<>();
        for (String t : needed) {
            Set<String> have = columns.get(t);
            if (have == null) {
                if (!MastodonKeys.isOptional(t)) {
                    missing.add("table " + t);
                }
                continue;
            }
            for (String column : REQUIRED.get(t)) {
                if (!have.contains(column)) {
                    missing.add("column " + t + "." + column);
                }
            }
        }
        if (version == null) {
            missing.add(0, "table schema_migrations");
        }
        if (missing.isEmpty()) {
            return null;
        }
        return "the database is not a Mastodon 4.x database (" + describe() + "): it lacks " + String.join(", ",
                missing) + ". Fix: point DB_NAME (or DATABASE_URL) at Mastodon's database, the one its "
                + ".env.production names, with its migrations run (RAILS_ENV=production bin/rails db:migrate).";
    }

    /** True when the table exists. */
    public boolean has(String table) {
        return columns.containsKey(table);
    }

    /** The tables of a pass that exist here: optional tables this version lacks are left out. */
    public Set<String> present(Set<String> tables) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : tables) {
            if (has(t) || !MastodonKeys.isOptional(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * The media page query's version-dependent columns, read directly where this database has them: property ->
     * SQL expression (routes/copy.camel.yaml, page-media-attachments). Without them the route's defaults apply, which
     * read the columns from a JSON of the whole row (of the media and of its status): right on every version, but
     * about three times PostgreSQL's CPU for the media pages (bench/RESULTS.md, "Page scan, third round").
     */
    public Map<String, String> mediaQueryColumns() {
        Map<String, String> found = new LinkedHashMap<>();
        if (columns.getOrDefault("media_attachments", Set.of()).contains("thumbnail_storage_schema_version")) {
            found.put("copy.media-thumbnail-version", "m.thumbnail_storage_schema_version");
        }
        if (columns.getOrDefault("statuses", Set.of()).contains("deleted_at")) {
            found.put("copy.media-status-removed", "s.deleted_at IS NOT NULL");
        }
        return found;
    }

    /** For messages: the schema version as schema.rb writes it, and the version-dependent parts found. */
    public String describe() {
        if (version == null) {
            return "no schema_migrations table";
        }
        String v = version.length() == 14 && version.chars().allMatch(Character::isDigit)
                ? version.substring(0, 4) + "_" + version.substring(4, 6) + "_" + version.substring(6, 8) + "_"
                        + version.substring(8) : version;
        return "schema version " + v + "; imports " + (has("imports") ? "present (Mastodon 4.3 or older)"
                : "absent (Mastodon 4.4 or newer)") + "; statuses.deleted_at "
                + (columns.getOrDefault("statuses", Set.of()).contains("deleted_at") ? "present" : "absent")
                + "; media_attachments.thumbnail_storage_schema_version "
                + (columns.getOrDefault("media_attachments", Set.of()).contains("thumbnail_storage_schema_version")
                        ? "present (4.6 or newer)" : "absent");
    }
}
