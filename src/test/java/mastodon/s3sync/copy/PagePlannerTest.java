package mastodon.s3sync.copy;

import static mastodon.s3sync.copy.CopyBookkeepingFixture.account;
import static mastodon.s3sync.copy.CopyBookkeepingFixture.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A page of rows into copy tasks: keys under the prefixes, ACL, storage class; refused rows; the listings. */
@Timeout(60)
class PagePlannerTest {

    @TempDir
    Path state;

    @Test
    void eachTaskCarriesWhatItsTransferNeeds() {
        CopyJob job = new CopyJob(options(state, "source.key-prefix", "old", "target.key-prefix", "new",
                "target.storage-class", " STANDARD_IA "), new MastodonKeys());
        job.parts().cursors().start("accounts", 0, 1, false);
        List<CopyTask> tasks = job.parts().planner().plan("accounts", 10, List.of(account(7)));
        assertThat(tasks).singleElement().satisfies(t -> {
            assertThat(t.sourceKey()).isEqualTo("old/accounts/avatars/000/000/007/original/a7.png");
            assertThat(t.targetKey()).isEqualTo("new/accounts/avatars/000/000/007/original/a7.png");
            assertThat(t.cannedAcl()).isEqualTo("PUBLIC_READ");
            assertThat(t.storageClass()).isEqualTo("STANDARD_IA");
            assertThat(t.contentType()).isEqualTo("image/png");
        });
        assertThat(job.tables().get("accounts").hasMore()).as("a page shorter than asked: no more rows").isFalse();
    }

    @Test
    void aRowTheKeyRulesRefuseIsOneFailedObjectAndHoldsTheCheckpoint() {
        CopyJob job = new CopyJob(options(state), new MastodonKeys());
        job.parts().cursors().start("accounts", 0, 3, false);
        Map<String, Object> hostile = new HashMap<>(account(2));
        hostile.put("avatar_file_name", "x".repeat(300) + ".png");
        List<CopyTask> tasks = job.parts().planner().plan("accounts", 3, List.of(account(1), hostile, account(3)));
        assertThat(tasks).extracting(CopyTask::rowId).containsExactly(1L, 3L);
        tasks.forEach(t -> job.parts().outcomes().copied(t, 1L, false));
        TableProgress t = job.tables().get("accounts");
        assertThat(CopyOutcomes.count(t, "failed")).isEqualTo(1);
        assertThat(t.watermark()).isEqualTo(1);
        assertThat(job.parts().outcomes().failed()).isEqualTo(1);
    }

    @Test
    void anEmptyPermissionSendsNoAcl() {
        CopyJob job = new CopyJob(options(state, "target.permission", ""), new MastodonKeys());
        job.parts().cursors().start("accounts", 0, 1, false);
        assertThat(job.parts().planner().plan("accounts", 1, List.of(account(1)))).singleElement()
                .satisfies(t -> assertThat(t.cannedAcl()).isNull());
        assertThat(CannedAcl.forPermission("private")).isEqualTo("PRIVATE");
        assertThatThrownBy(() -> CannedAcl.forPermission("public")).hasMessageContaining("S3_PERMISSION");
    }

    @Test
    void theListingsSizesTravelWithTheTasksAndTheSourceIsNotListedWhenTheTargetHasNone() {
        Map<String, Long> sourceAsked = new HashMap<>();
        ObjectSizes target = tasks -> {
            Map<String, Long> m = new HashMap<>();
            tasks.forEach(t -> m.put(t.targetKey(), StoreListing.ABSENT));
            return m;
        };
        ObjectSizes source = tasks -> {
            tasks.forEach(t -> sourceAsked.put(t.sourceKey(), 1L));
            return Map.of();
        };
        CopyJob job = new CopyJob(options(state), new MastodonKeys(), target, source,
                new FailureBudget(java.time.Duration.ofMinutes(1), Map.of()));
        job.parts().cursors().start("accounts", 0, 2, false);
        List<CopyTask> listed = job.parts().planner().list(job.parts().planner().plan("accounts", 2, List.of(account(1), account(2))));
        assertThat(listed).extracting(CopyTask::targetSize).containsOnly(StoreListing.ABSENT);
        assertThat(listed).extracting(CopyTask::sourceSize).containsOnlyNulls();
        assertThat(sourceAsked).as("a fresh copy GETs every object anyway").isEmpty();
    }

    @Test
    void forceListsNothing() {
        ObjectSizes fails = tasks -> {
            throw new AssertionError("listed with --force");
        };
        CopyJob job = new CopyJob(options(state, "copy.force", "true"), new MastodonKeys(), fails, fails,
                new FailureBudget(java.time.Duration.ofMinutes(1), Map.of()));
        job.parts().cursors().start("accounts", 0, 1, false);
        List<CopyTask> tasks = job.parts().planner().plan("accounts", 1, List.of(account(1)));
        assertThat(job.parts().planner().list(tasks)).isEqualTo(tasks);
    }
}
