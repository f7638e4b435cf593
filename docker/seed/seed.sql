-- Demo rows for docker/compose.yaml (run once by PostgreSQL's entrypoint, after the schema): a small Mastodon with
-- local and remote accounts, media of every kind, and custom emojis. Ids, file names and sizes are deterministic; the
-- objects themselves are written by seed.sh from the keys `copy --dry-run` derives from these rows.
-- 100 rows per table (about 700 objects) are enough to watch a copy.
INSERT INTO accounts (id, username, domain, avatar_file_name, avatar_content_type, avatar_storage_schema_version,
                      header_file_name, header_content_type, header_storage_schema_version)
SELECT i, 'user' || i, CASE WHEN i % 2 = 0 THEN 'remote' || (i % 7) || '.example' END,
       'avatar' || i || '.png', 'image/png', CASE WHEN i % 4 >= 2 THEN 1 END,
       CASE WHEN i % 3 <> 2 THEN 'header' || i || '.jpeg' END, CASE WHEN i % 3 <> 2 THEN 'image/jpeg' END,
       CASE WHEN i % 4 >= 2 THEN 1 END
FROM generate_series(1, 100) AS i;

INSERT INTO media_attachments (id, account_id, file_file_name, file_content_type, file_file_size,
                               file_storage_schema_version, remote_url)
SELECT 109348763475345678 + i, 1 + (i % 100),
       'media' || i || (ARRAY['.jpg', '.png', '.mp4', '.gif'])[1 + i % 4],
       (ARRAY['image/jpeg', 'image/png', 'video/mp4', 'image/gif'])[1 + i % 4],
       20000 + (i * 7919) % 180000, CASE WHEN i % 4 >= 2 THEN 1 END,
       CASE WHEN i % 2 = 1 THEN 'https://remote.example/media/' || i ELSE '' END
FROM generate_series(1, 100) AS i;

INSERT INTO custom_emojis (id, shortcode, domain, image_file_name, image_content_type, image_storage_schema_version)
SELECT i, 'emoji' || i, CASE WHEN i % 3 <> 0 THEN 'remote.example' END, 'emoji' || i || '.png', 'image/png',
       CASE WHEN i % 2 = 0 THEN 1 END
FROM generate_series(1, 100) AS i;
