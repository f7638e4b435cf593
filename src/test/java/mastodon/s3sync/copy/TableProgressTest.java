package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint: the last id such that every row up to it is fully done, whatever order objects finish in. */
class TableProgressTest {

    @Test
    void watermarkWaitsForTheOldestUnfinishedRow() {
        TableProgress t = new TableProgress("media_attachments");
        t.start(100);
        t.rowPlanned(101, 2);
        t.rowPlanned(105, 1);
        t.rowPlanned(107, 0); // no objects: done at once
        t.rowPlanned(110, 1);
        assertThat(t.watermark()).isEqualTo(100);
        t.objectDone(110, true);
        t.objectDone(105, true);
        assertThat(t.watermark()).isEqualTo(100); // 101 still has two objects in flight
        t.objectDone(101, true);
        assertThat(t.watermark()).isEqualTo(100);
        t.objectDone(101, true);
        assertThat(t.watermark()).isEqualTo(110);
        assertThat(t.rowsDone()).isEqualTo(4);
    }

    @Test
    void aFailedObjectKeepsTheCheckpointBeforeItsRowForTheRestOfThePass() {
        TableProgress t = new TableProgress("accounts");
        t.start(0);
        t.rowPlanned(1, 1);
        t.rowPlanned(2, 2);
        t.rowPlanned(3, 1);
        t.objectDone(1, true);
        t.objectDone(2, false);
        t.objectDone(2, true);
        t.objectDone(3, true);
        assertThat(t.watermark()).isEqualTo(1);
        t.markScanned();
        assertThat(t.isComplete()).isTrue();
    }

    @Test
    void watermarkNeverGoesBelowTheStart() {
        TableProgress t = new TableProgress("backups");
        t.start(50);
        t.rowPlanned(51, 1);
        assertThat(t.watermark()).isEqualTo(50);
        t.failRow(51);
        assertThat(t.watermark()).isEqualTo(50);
    }

    @Test
    void checkpointsAreWrittenAtomicallyAndReadBack(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("state"), "copy", "this copy");
        assertThat(store.load("accounts").lastId()).isEmpty();
        store.save("accounts", 108892712797543112L);
        assertThat(store.load("accounts").lastId()).hasValue(108892712797543112L);
        assertThat(new CheckpointStore(dir.resolve("state"), "copy", "another copy").load("accounts").otherCopy())
                .isEqualTo("this copy");
        assertThat(Files.list(dir.resolve("state")).map(p -> p.getFileName().toString()))
                .containsExactly("copy-accounts.checkpoint");
        Files.writeString(store.file("accounts"), "garbage");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.load("accounts"))
                .hasMessageContaining("--restart");
    }
}
