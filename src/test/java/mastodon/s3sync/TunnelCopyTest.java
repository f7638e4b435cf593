package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.RealServers;
import mastodon.s3sync.testing.S3Server;
import mastodon.s3sync.testing.SourceStore;
import mastodon.s3sync.testing.SshTunnelServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The copy command with Mastodon's database behind an SSH tunnel: a refused host key, and a tunnel that drops. */
@Timeout(180)
@RealServers
class TunnelCopyTest {

    private static final int ROWS = 30;

    private static PostgresServer pg;
    private static SshTunnelServer ssh;
    private static S3Server s3;
    private static KeyPair clientKey;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(PostgresServer sharedPg, SshTunnelServer sharedSsh, @SourceStore S3Server sharedS3)
            throws Exception {
        pg = sharedPg;
        pg.createDatabase("mastodon_tunnel");
        try (InputStream in = TunnelCopyTest.class.getResourceAsStream("/mastodon-schema/mastodon-4.6.sql");
             Connection c = pg.dataSource("mastodon_tunnel").getConnection(); Statement s = c.createStatement()) {
            s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            for (int id = 1; id <= ROWS; id++) {
                s.execute("INSERT INTO media_attachments (id, file_file_name, file_content_type, file_file_size) VALUES ("
                        + id + ", 'a1b2c3d4e5f6a7b" + (id % 10) + ".mp3', 'audio/mpeg', 5)");
            }
        }
        ssh = sharedSsh;
        clientKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        ssh.authorize(clientKey.getPublic());
        s3 = sharedS3;
        s3.createBucket("src");
        try (S3Client c = s3.client()) {
            for (int id = 1; id <= ROWS; id++) {
                String key = key(id);
                c.putObject(b -> b.bucket("src").key(key), RequestBody.fromString("audio"));
            }
        }
    }

    private static String key(int id) {
        return String.format("media_attachments/files/000/000/%03d/original/a1b2c3d4e5f6a7b%d.mp3", id, id % 10);
    }

    private Map<String, String> env(String targetBucket, Path knownHosts) throws Exception {
        Path keyFile = dir.resolve("id_ed25519");
        SshTunnelServer.writePrivateKey(clientKey, keyFile, null);
        Map<String, String> env = new HashMap<>();
        env.put("S3_BUCKET", "src");
        env.put("S3_ENDPOINT", s3.endpoint());
        env.put("AWS_ACCESS_KEY_ID", s3.accessKey);
        env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey);
        env.put("TARGET_S3_BUCKET", targetBucket);
        env.put("TARGET_S3_ENDPOINT", s3.endpoint());
        env.put("TARGET_AWS_ACCESS_KEY_ID", s3.accessKey);
        env.put("TARGET_AWS_SECRET_ACCESS_KEY", s3.secretKey);
        // the database as the SSH server sees it
        env.put("DB_HOST", "127.0.0.1");
        env.put("DB_PORT", Integer.toString(pg.port()));
        env.put("DB_NAME", "mastodon_tunnel");
        env.put("DB_USER", pg.user());
        env.put("DB_TUNNEL_HOST", "127.0.0.1");
        env.put("DB_TUNNEL_PORT", Integer.toString(ssh.port()));
        env.put("DB_TUNNEL_USER", SshTunnelServer.USER);
        env.put("DB_TUNNEL_KEY_FILE", keyFile.toString());
        env.put("DB_TUNNEL_KNOWN_HOSTS", knownHosts.toString());
        env.put("COPY_STATE_DIR", dir.resolve("state").toString());
        env.put("COPY_PAGE_SIZE", "2");
        env.put("COPY_PROGRESS_INTERVAL", "60000");
        return env;
    }

    private InProcessRunner.Result run(Map<String, String> env, String... args) {
        return InProcessRunner.run(env, dir, args);
    }

    private static int objects(String bucket) {
        try (S3Client c = s3.client()) {
            return c.listObjectsV2(b -> b.bucket(bucket)).keyCount();
        }
    }

    @Test
    void changedHostKeyStopsTheCopyBeforeItStarts() throws Exception {
        s3.createBucket("dst-refused");
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, ssh.knownHostsLine(KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256)
                .getPublic()) + "\n");
        int sessionsBefore = ssh.sessions();
        int forwardsBefore = ssh.forwards();
        InProcessRunner.Result r = run(env("dst-refused", knownHosts), "copy");
        assertThat(r.code()).isEqualTo(Application.BAD_CONFIG);
        assertThat(r.err()).startsWith("error: cannot open the SSH tunnel to the database: the host key of the SSH server [127.0.0.1]:"
                + ssh.port() + " has CHANGED").contains("ssh-keygen -R");
        assertThat(ssh.forwards()).isEqualTo(forwardsBefore);
        assertThat(ssh.sessions()).isEqualTo(sessionsBefore + 1);
        assertThat(objects("dst-refused")).isZero();
    }

    @Test
    void copyGoesThroughTheTunnelAndSurvivesADrop() throws Exception {
        s3.createBucket("dst");
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, ssh.knownHostsLine() + "\n");
        Map<String, String> env = env("dst", knownHosts);
        env.put("COPY_REQUESTS_PER_SECOND", "10"); // about 3 s for 30 objects, one page of 2 rows every 200 ms
        int sessionsBefore = ssh.sessions();
        AtomicInteger droppedAt = new AtomicInteger(-1);
        Thread dropper = new Thread(() -> {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                int n = objects("dst");
                if (n >= 6) {
                    ssh.dropConnections();
                    droppedAt.set(n);
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        dropper.start();
        InProcessRunner.Result r = run(env, "copy", "--dev");
        dropper.interrupt();
        dropper.join(10_000);

        assertThat(r.code()).as(r.err()).isEqualTo(Application.OK);
        assertThat(droppedAt.get()).as("the tunnel dropped mid-run").isBetween(6, ROWS - 4);
        assertThat(objects("dst")).isEqualTo(ROWS);
        // preflight's check, the job's pool, and the pool again after the drop
        assertThat(ssh.sessions() - sessionsBefore).isEqualTo(3);
    }

    @Test
    void pageQueryOnAKilledConnectionIsRetried() throws Exception {
        s3.createBucket("dst-killed");
        Map<String, String> env = env("dst-killed", dir.resolve("unused"));
        env.remove("DB_TUNNEL_HOST"); // straight to PostgreSQL: the server ends our sessions mid-run
        env.put("COPY_REQUESTS_PER_SECOND", "10");
        AtomicInteger killedAt = new AtomicInteger(-1);
        Thread killer = new Thread(() -> {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                int n = objects("dst-killed");
                if (n >= 6) {
                    try (Connection c = pg.dataSource("mastodon_tunnel").getConnection(); Statement s = c.createStatement()) {
                        s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                + "WHERE application_name = 'mastodon-s3-sync'");
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    killedAt.set(n);
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        killer.start();
        InProcessRunner.Result r = run(env, "copy", "--dev");
        killer.interrupt();
        killer.join(10_000);

        assertThat(r.code()).as(r.err()).isEqualTo(Application.OK);
        assertThat(killedAt.get()).as("the connection was killed mid-run").isBetween(6, ROWS - 4);
        assertThat(objects("dst-killed")).isEqualTo(ROWS);
    }
}
