package mastodon.s3sync.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.sql.DataSource;

import mastodon.s3sync.copy.CopyTask;
import mastodon.s3sync.copy.MastodonKeys;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A synthetic Mastodon: the schema of the tables the product reads, rows in them, and the objects those rows name
 * in a source bucket. Objects are written the way a careless earlier copy leaves them (binary/octet-stream, no
 * Cache-Control), so a test sees that the copy writes Mastodon's headers.
 */
public final class MastodonFixture {

    /** An object the fixture put in the source store: its key (without prefix) and bytes. */
    public record SourceObject(String key, byte[] bytes) {
    }

    private final DataSource ds;

    public MastodonFixture(DataSource ds) {
        this.ds = ds;
    }

    public void createSchema() throws IOException, SQLException {
        String sql;
        try (InputStream in = MastodonFixture.class.getResourceAsStream("/mastodon-schema.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public void sql(String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }

    /** Puts an object in the source as a careless earlier copy would have: wrong type, no cache header. */
    public static void put(S3Client s3, String bucket, String prefix, String key, byte[] bytes) {
        String full = prefix == null || prefix.isEmpty() ? key : prefix + "/" + key;
        s3.putObject(r -> r.bucket(bucket).key(full).contentType("binary/octet-stream"), RequestBody.fromBytes(bytes));
    }

    public static byte[] bytes(String key, int size) {
        byte[] b = new byte[size];
        new Random(key.hashCode()).nextBytes(b);
        return b;
    }

    /**
     * N generated rows per table with realistic ids (snowflakes for media and accounts, small ids too), local and
     * remote rows, schema versions NULL and 1, and every content type; their objects are put in the source.
     *
     * @return the objects written, in order
     */
    public List<SourceObject> generate(int rowsPerTable, S3Client s3, String bucket, String prefix, int objectSize,
                                       long seed) throws SQLException {
        Random rnd = new Random(seed);
        MastodonKeys keys = new MastodonKeys();
        List<SourceObject> objects = new ArrayList<>();
        String[] mediaTypes = {"image/jpeg", "image/png", "video/mp4", "audio/mpeg", "image/gif", "image/webp"};
        String[] mediaExt = {"jpg", "png", "mp4", "mp3", "gif", "webp"};
        long snow = 109_348_763_475_345_678L;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement acc = c.prepareStatement("INSERT INTO accounts (id, username, domain, "
                    + "avatar_file_name, avatar_content_type, avatar_storage_schema_version, header_file_name, "
                    + "header_content_type, header_storage_schema_version, suspended_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
                 PreparedStatement media = c.prepareStatement("INSERT INTO media_attachments (id, account_id, "
                    + "file_file_name, file_content_type, file_file_size, file_storage_schema_version, remote_url, "
                    + "thumbnail_file_name, thumbnail_content_type, thumbnail_storage_schema_version) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                for (int i = 0; i < rowsPerTable; i++) {
                    long accountId = i % 3 == 0 ? 1000 + i : snow + 1_000_000L * i;
                    boolean remote = i % 2 == 1;
                    Integer version = i % 4 < 2 ? null : 1;
                    boolean gif = i % 5 == 0;
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", accountId);
                    row.put("domain", remote ? "remote" + (i % 7) + ".example" : null);
                    row.put("avatar_file_name", hex(rnd) + (gif ? ".gif" : ".png"));
                    row.put("avatar_content_type", gif ? "image/gif" : "image/png");
                    row.put("avatar_storage_schema_version", version);
                    row.put("header_file_name", i % 3 == 2 ? null : hex(rnd) + ".jpeg");
                    row.put("header_content_type", i % 3 == 2 ? null : "image/jpeg");
                    row.put("header_storage_schema_version", version);
                    acc.setLong(1, accountId);
                    acc.setString(2, "user" + i);
                    acc.setString(3, (String) row.get("domain"));
                    acc.setString(4, (String) row.get("avatar_file_name"));
                    acc.setString(5, (String) row.get("avatar_content_type"));
                    acc.setObject(6, version);
                    acc.setString(7, (String) row.get("header_file_name"));
                    acc.setString(8, (String) row.get("header_content_type"));
                    acc.setObject(9, version);
                    acc.setObject(10, null);
                    acc.addBatch();
                    objects.addAll(upload(keys.objectsFor("accounts", row), s3, bucket, prefix, objectSize));

                    int t = rnd.nextInt(mediaTypes.length);
                    long mediaId = i % 10 == 0 ? 50_000 + i : snow + i;
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", mediaId);
                    m.put("file_file_name", hex(rnd) + "." + mediaExt[t]);
                    m.put("file_content_type", mediaTypes[t]);
                    m.put("file_storage_schema_version", version);
                    m.put("remote_url", remote ? "https://remote.example/media/" + i : "");
                    boolean thumb = t == 3 && i % 2 == 0;
                    m.put("thumbnail_file_name", thumb ? hex(rnd) + ".jpeg" : null);
                    m.put("thumbnail_content_type", thumb ? "image/jpeg" : null);
                    m.put("thumbnail_storage_schema_version", null);
                    m.put("suspended", false);
                    media.setLong(1, mediaId);
                    media.setLong(2, accountId);
                    media.setString(3, (String) m.get("file_file_name"));
                    media.setString(4, (String) m.get("file_content_type"));
                    media.setInt(5, objectSize);
                    media.setObject(6, version);
                    media.setString(7, (String) m.get("remote_url"));
                    media.setString(8, (String) m.get("thumbnail_file_name"));
                    media.setString(9, (String) m.get("thumbnail_content_type"));
                    media.setObject(10, null);
                    media.addBatch();
                    objects.addAll(upload(keys.objectsFor("media_attachments", m), s3, bucket, prefix, objectSize));
                }
                acc.executeBatch();
                media.executeBatch();
            }
            try (PreparedStatement emoji = c.prepareStatement("INSERT INTO custom_emojis (id, shortcode, domain, "
                    + "image_file_name, image_content_type, image_storage_schema_version) VALUES (?,?,?,?,?,?)");
                 PreparedStatement card = c.prepareStatement("INSERT INTO preview_cards (id, url, image_file_name, "
                    + "image_content_type, image_storage_schema_version) VALUES (?,?,?,?,?)")) {
                for (int i = 1; i <= rowsPerTable; i++) {
                    Integer version = i % 2 == 0 ? 1 : null;
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("id", (long) i);
                    e.put("domain", i % 3 == 0 ? null : "remote.example");
                    e.put("image_file_name", hex(rnd) + ".png");
                    e.put("image_content_type", "image/png");
                    e.put("image_storage_schema_version", version);
                    emoji.setLong(1, i);
                    emoji.setString(2, "emoji" + i);
                    emoji.setString(3, (String) e.get("domain"));
                    emoji.setString(4, (String) e.get("image_file_name"));
                    emoji.setString(5, "image/png");
                    emoji.setObject(6, version);
                    emoji.addBatch();
                    objects.addAll(upload(keys.objectsFor("custom_emojis", e), s3, bucket, prefix, objectSize));
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("id", (long) i);
                    p.put("image_file_name", i % 4 == 0 ? null : hex(rnd) + ".jpeg");
                    p.put("image_content_type", i % 4 == 0 ? null : "image/jpeg");
                    p.put("image_storage_schema_version", version);
                    card.setLong(1, i);
                    card.setString(2, "https://example.com/" + i);
                    card.setString(3, (String) p.get("image_file_name"));
                    card.setString(4, (String) p.get("image_content_type"));
                    card.setObject(5, version);
                    card.addBatch();
                    objects.addAll(upload(keys.objectsFor("preview_cards", p), s3, bucket, prefix, objectSize));
                }
                emoji.executeBatch();
                card.executeBatch();
            }
            c.commit();
        }
        return objects;
    }

    private static List<SourceObject> upload(List<CopyTask> tasks, S3Client s3, String bucket, String prefix, int size) {
        List<SourceObject> out = new ArrayList<>();
        for (CopyTask t : tasks) {
            byte[] b = bytes(t.key(), size);
            put(s3, bucket, prefix, t.key(), b);
            out.add(new SourceObject(t.key(), b));
        }
        return out;
    }

    private static String hex(Random rnd) {
        return String.format("%016x", rnd.nextLong());
    }
}
