package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.config.Settings;

/** The settings as the commands read them: env file found relative to the working directory, its directory known. */
class SettingsReaderTest {

    private static Settings read(Path workDir, String envFile, String text) throws Exception {
        Path f = workDir.resolve(envFile);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true);
        return new SettingsReader(Map.of(), err, workDir).read(envFile);
    }

    @Test
    void localStorageDefaultsToPublicSystemBesideTheEnvFile(@TempDir Path dir) throws Exception {
        Settings s = read(dir, "live/.env.production", "LOCAL_DOMAIN=example.com\nDB_HOST=localhost\n");
        assertThat(s.get("source.kind")).isEqualTo("directory");
        assertThat(s.get("source.root")).isEqualTo(dir.resolve("live/public/system").toAbsolutePath().toString());
    }

    @Test
    void paperclipRootPathResolvesRailsRootAndRelativePathsAgainstTheEnvFilesDirectory(@TempDir Path dir)
            throws Exception {
        Settings railsRoot = read(dir, "live/.env.production", "PAPERCLIP_ROOT_PATH=:rails_root/media\n");
        assertThat(railsRoot.get("source.root")).isEqualTo(dir.resolve("live/media").toAbsolutePath().toString());
        Settings relative = read(dir, "other/.env.production", "PAPERCLIP_ROOT_PATH=files/system\n");
        assertThat(relative.get("source.root"))
                .isEqualTo(dir.resolve("other/files/system").toAbsolutePath().toString());
    }
}
