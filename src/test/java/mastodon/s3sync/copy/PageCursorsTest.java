package mastodon.s3sync.copy;

import static mastodon.s3sync.copy.CopyBookkeepingFixture.options;
import static mastodon.s3sync.copy.CopyBookkeepingFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The paging cursor of each table: where a pass starts, the next page, --limit, and the checkpoints it saves. */
@Timeout(60)
class PageCursorsTest {

    @TempDir
    Path state;

    @Test
    void aTableLeftOutHasNoCursor() {
        CopyJob job = new CopyJob(options(state), new MastodonKeys());
        assertThat(job.parts().cursors().cursor("accounts")).isNotNull();
        assertThat(job.parts().cursors().cursor("media_attachments")).isNull();
        assertThatThrownBy(() -> job.parts().cursors().rearm("media_attachments")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePassStartsAfterTheSavedCheckpointUnlessRestartOrFromId() {
        CopyJob first = new CopyJob(options(state), new MastodonKeys());
        first.parts().cursors().start("accounts", 0, 3, false);
        plan(first, 1, 2, 3).forEach(t -> first.parts().outcomes().copied(t, 10L, false));
        first.parts().cursors().saveCheckpoints();
        assertThat(Files.exists(state.resolve("copy-accounts.checkpoint"))).isTrue();

        assertThat(new CopyJob(options(state), new MastodonKeys()).parts().cursors().cursor("accounts").startAfter())
                .isEqualTo(3);
        assertThat(new CopyJob(options(state, "copy.restart", "true"), new MastodonKeys()).parts().cursors()
                .cursor("accounts").startAfter()).isZero();
        assertThat(new CopyJob(options(state, "copy.from-id", "10"), new MastodonKeys()).parts().cursors()
                .cursor("accounts").startAfter()).isEqualTo(9);
        // verify does not resume unless asked
        assertThat(new CopyJob(options(state, "copy.mode", "verify"), new MastodonKeys()).parts().cursors()
                .cursor("accounts").startAfter()).isZero();
    }

    @Test
    void aDryRunSavesNoCheckpoint() {
        CopyJob job = new CopyJob(options(state, "copy.dry-run", "true"), new MastodonKeys());
        job.parts().cursors().start("accounts", 0, 1, false);
        job.parts().outcomes().listedPage(plan(job, 1));
        job.parts().cursors().saveCheckpoints();
        assertThat(state).isEmptyDirectory();
    }

    @Test
    void theCursorFollowsThePagesUntilOneComesBackShort() {
        CopyJob job = new CopyJob(options(state, "copy.page-size", "2"), new MastodonKeys());
        PageCursor c = job.parts().cursors().cursor("accounts");
        assertThat(c.started()).isFalse();
        job.parts().cursors().start("accounts", 40, null, false);
        job.parts().cursors().rearm("accounts");
        assertThat(c.started()).isTrue();
        assertThat(c.lastPlanned()).isEqualTo(40);
        assertThat(c.pageSize()).isEqualTo(2);
        assertThat(c.hasMore()).isTrue();
        plan(job, 41, 42);
        assertThat(c.lastPlanned()).isEqualTo(42);
        assertThat(c.hasMore()).isTrue();
        job.parts().planner().plan("accounts", 2, java.util.List.of(CopyBookkeepingFixture.account(45)));
        assertThat(c.hasMore()).isFalse();
        job.parts().cursors().scanned("accounts");
        // follow mode: the next look may find new rows
        job.parts().cursors().rearm("accounts");
        assertThat(c.hasMore()).isTrue();
        assertThat(job.parts().cursors().looks()).isEqualTo(2);
    }

    @Test
    void limitShrinksTheLastPageAndEndsThePass() {
        CopyJob job = new CopyJob(options(state, "copy.page-size", "2", "copy.limit", "3"), new MastodonKeys());
        PageCursor c = job.parts().cursors().cursor("accounts");
        job.parts().cursors().start("accounts", 0, 10, true);
        assertThat(job.tables().get("accounts").total()).isEqualTo(3);
        assertThat(job.tables().get("accounts").totalEstimated()).isFalse();
        plan(job, 1, 2);
        assertThat(c.pageSize()).isEqualTo(1);
        plan(job, 3);
        assertThat(c.hasMore()).isFalse();
        assertThat(c.pageSize()).isZero();
    }

    @Test
    void offsetIsTheOption() {
        assertThat(new CopyJob(options(state, "copy.offset", "7"), new MastodonKeys()).parts().cursors().cursor("accounts")
                .offset()).isEqualTo(7);
    }
}
