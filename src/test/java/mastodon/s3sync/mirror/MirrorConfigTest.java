package mastodon.s3sync.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorConfigTest {

    @TempDir
    Path dir;

    private Path write(String json) throws Exception {
        return Files.writeString(dir.resolve("mirror.json"), json);
    }

    @Test
    void theOldToolsFormat() throws Exception {
        MirrorConfig c = MirrorConfig.read(write("{\"queue\": \"transport-dev\", \"sync\": {\"test-folder/\": \"/srv/a\", "
                + "\"test-folder/folder-01/\": \"/srv/b\"}}"));
        assertThat(c.queue()).isEqualTo("transport-dev");
        assertThat(c.sync()).containsEntry("test-folder/", Path.of("/srv/a"))
                .containsEntry("test-folder/folder-01/", Path.of("/srv/b"));
        assertThat(c.bucket()).isNull();
        assertThat(c.warnings()).isEmpty();
        assertThat(c.mapping().resolve("test-folder/folder-01/x").file()).isEqualTo(Path.of("/srv/b/x"));
    }

    @Test
    void optionalKeysAndUrls() throws Exception {
        MirrorConfig c = MirrorConfig.read(write("{\"queue\": \"https://sqs.eu-west-1.amazonaws.com/1234/transport\", "
                + "\"bucket\": \"media\", \"region\": \"eu-west-1\", \"sqs_endpoint\": \"http://127.0.0.1:9324\", "
                + "\"s3_endpoint\": \"http://127.0.0.1:9000\", \"sync\": {\"\": \"/srv/all\"}, \"extra\": 1}"));
        assertThat(MirrorConfig.isUrl(c.queue())).isTrue();
        assertThat(MirrorConfig.queueName(c.queue())).isEqualTo("transport");
        assertThat(c.bucket()).isEqualTo("media");
        assertThat(c.region()).isEqualTo("eu-west-1");
        assertThat(c.sqsEndpoint()).isEqualTo("http://127.0.0.1:9324");
        assertThat(c.s3Endpoint()).isEqualTo("http://127.0.0.1:9000");
        assertThat(c.warnings()).singleElement().asString().contains("unknown key 'extra'");
    }

    @Test
    void clearErrors() throws Exception {
        assertThatThrownBy(() -> MirrorConfig.read(dir.resolve("missing.json")))
                .hasMessageContaining("missing.json").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> MirrorConfig.read(write("{\"queue\": \"q\", ")))
                .hasMessageContaining("not valid JSON").hasMessageContaining("line");
        assertThatThrownBy(() -> MirrorConfig.read(write("[]"))).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> MirrorConfig.read(write("{\"sync\": {\"a/\": \"/srv/a\"}}")))
                .hasMessageContaining("no \"queue\"");
        assertThatThrownBy(() -> MirrorConfig.read(write("{\"queue\": \"q\"}"))).hasMessageContaining("no \"sync\"");
        assertThatThrownBy(() -> MirrorConfig.read(write("{\"queue\": \"q\", \"sync\": {}}")))
                .hasMessageContaining("no \"sync\"");
        assertThatThrownBy(() -> MirrorConfig.read(write("{\"queue\": \"q\", \"sync\": {\"a/\": \"relative/dir\"}}")))
                .hasMessageContaining("'relative/dir'").hasMessageContaining("not an absolute path");
        assertThatThrownBy(() -> MirrorConfig.read(write("{\"queue\": \"q\", \"sync\": {\"a/\": 5}}")))
                .hasMessageContaining("prefix 'a/'");
        assertThatThrownBy(() -> MirrorConfig.read(write("{\"queue\": 5, \"sync\": {\"a/\": \"/srv\"}}")))
                .hasMessageContaining("\"queue\" must be a string");
    }
}
