package mastodon.s3sync.copy;

import static mastodon.s3sync.copy.CopyBookkeepingFixture.options;
import static mastodon.s3sync.copy.CopyBookkeepingFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.copy.Problems.Kind;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** What each object became, counted under one name per outcome; verify's verdicts; repair's kinds of fix. */
@Timeout(60)
class CopyOutcomesTest {

    @TempDir
    Path state;

    private CopyJob job(String... more) {
        CopyJob job = new CopyJob(options(state, more), new MastodonKeys());
        job.parts().cursors().start("accounts", 0, null, false);
        return job;
    }

    @Test
    void eachModeNamesItsOutcomes() {
        assertThat(job().parts().outcomes().names()).containsExactly("copied", "skipped", "missing_at_source", "failed");
        assertThat(job("copy.dry-run", "true").parts().outcomes().names()).containsExactly("listed", "failed");
        assertThat(job("copy.mode", "verify").parts().outcomes().names())
                .containsExactly("ok", "missing_at_source", "missing_in_target", "different", "failed");
        assertThat(job("copy.mode", "repair").parts().outcomes().names())
                .containsExactly("repaired", "unchanged", "missing_at_source", "failed");
        assertThat(CopyOutcomes.words("missing_at_source")).isEqualTo("missing at source");
    }

    @Test
    void copyCountsEachOutcomeAndReportsTheProblems() {
        CopyJob job = job();
        List<CopyTask> t = plan(job, 1, 2, 3, 4);
        job.parts().outcomes().copied(t.get(0), 100L, true);
        job.parts().outcomes().skipped(t.get(1));
        job.parts().outcomes().missing(t.get(2));
        job.parts().outcomes().failed(t.get(3), new IOException("connection reset"));
        assertThat(job.parts().outcomes().totals()).containsExactly(java.util.Map.entry("copied", 1L),
                java.util.Map.entry("skipped", 1L), java.util.Map.entry("missing_at_source", 1L),
                java.util.Map.entry("failed", 1L));
        TableProgress p = job.tables().get("accounts");
        assertThat(p.bytes.sum()).isEqualTo(100);
        assertThat(p.contentTypeRepaired.sum()).isEqualTo(1);
        assertThat(p.watermark()).as("row 4 failed").isEqualTo(3);
        assertThat(job.parts().outcomes().failed()).isEqualTo(1);
    }

    @Test
    void aTableThatCannotBeReadEndsAsFailedAtItsLastPlannedId() {
        CopyJob job = job();
        plan(job, 1, 2).forEach(t -> job.parts().outcomes().copied(t, 1L, false));
        job.parts().outcomes().tableFailed("accounts", new IllegalStateException("database gone"));
        TableProgress p = job.tables().get("accounts");
        assertThat(p.isComplete()).isTrue();
        assertThat(p.hasMore()).isFalse();
        assertThat(p.watermark()).isEqualTo(2);
        assertThat(job.parts().outcomes().failed()).isEqualTo(1);
    }

    @Test
    void verifyJudgesSizeAndContentTypeAndTellsMissingApartFromDifferent() {
        CopyJob job = job("copy.mode", "verify");
        List<CopyTask> t = plan(job, 1, 2, 3, 4, 5, 6);
        VerifyJudge v = job.parts().verifyJudge();
        HeadObjectResponse png10 = HeadObjectResponse.builder().contentLength(10L).contentType("image/png").build();
        v.verify(t.get(0), png10, 10L, null);
        v.verify(t.get(1), null, 10L, null);
        v.verify(t.get(2), png10, 11L, null);
        v.verify(t.get(3), png10, 10L, "image/webp"); // the source's own specific type is the truth
        v.verify(t.get(4), null, CopyTask.ABSENT, null);
        v.verify(t.get(5), png10, null, "binary/octet-stream"); // generic at the source: Mastodon's rule's type
        assertThat(job.parts().outcomes().totals()).containsEntry("ok", 2L).containsEntry("missing_in_target", 1L)
                .containsEntry("different", 2L).containsEntry("missing_at_source", 1L).containsEntry("failed", 0L);
        assertThat(job.parts().outcomes().failed()).as("missing in target and different fail the pass").isEqualTo(3);
    }

    @Test
    void verifyOfADirectoryJudgesBySize() {
        CopyJob job = job("copy.mode", "verify");
        List<CopyTask> t = plan(job, 1, 2, 3, 4);
        VerifyJudge v = job.parts().verifyJudge();
        v.verifySizes(t.get(0).listed(5L, 5L), 5L);
        v.verifySizes(t.get(1).listed(5L, 6L), 5L);
        v.verifySizes(t.get(2).listed(5L, CopyTask.ABSENT), 5L);
        v.verifySizes(t.get(3).listed(CopyTask.ABSENT, CopyTask.ABSENT), null);
        assertThat(job.parts().outcomes().totals()).containsEntry("ok", 1L).containsEntry("different", 1L)
                .containsEntry("missing_in_target", 1L).containsEntry("missing_at_source", 1L);
        assertThat(job.tables().get("accounts").bytes.sum()).isEqualTo(5);
    }

    @Test
    void theDryRunCountsAndPrintsAWholePage() {
        CopyJob job = job("copy.dry-run", "true");
        String lines = job.parts().outcomes().listedPage(plan(job, 1, 2));
        assertThat(lines.split("\n")).containsExactly(
                "accounts/avatars/000/000/001/original/a1.png -> accounts/avatars/000/000/001/original/a1.png  "
                        + "[image/png, acl public-read]",
                "accounts/avatars/000/000/002/original/a2.png -> accounts/avatars/000/000/002/original/a2.png  "
                        + "[image/png, acl public-read]");
        assertThat(job.parts().outcomes().listedPage(List.of())).isEmpty();
        assertThat(job.parts().outcomes().totals()).containsEntry("listed", 2L);
    }

    @Test
    void repairCountsEachKindOfFix() {
        CopyJob job = job("copy.mode", "repair");
        List<CopyTask> t = plan(job, 1, 2);
        ObjectRepair.Fixes fixes = new ObjectRepair.Fixes("image/png", true, "PUBLIC_READ", "PUBLIC_READ",
                "Content-Type binary/octet-stream -> image/png");
        assertThat(job.parts().outcomes().repaired(t.get(0), fixes, 42L))
                .isEqualTo("accounts/avatars/000/000/001/original/a1.png: Content-Type binary/octet-stream -> image/png");
        job.parts().outcomes().unchanged(t.get(1));
        TableProgress p = job.tables().get("accounts");
        assertThat(p.repairCounters()).containsEntry("contentTypeFixed", 1L).containsEntry("cacheControlFixed", 1L)
                .containsEntry("aclFixed", 1L);
        assertThat(p.bytes.sum()).isEqualTo(42);
        assertThat(job.parts().outcomes().totals()).containsEntry("repaired", 1L).containsEntry("unchanged", 1L);
    }

    @Test
    void problemsKeepTheirKindAndOrder() {
        Problems problems = new Problems();
        problems.add(Kind.FAILED, new Problems.Problem("accounts", 1, "k1", "503"));
        problems.add(Kind.DIFFERENT, new Problems.Problem("accounts", 2, "k2", "size differs"));
        problems.add(Kind.FAILED, new Problems.Problem("accounts", 3, "k3", "403"));
        assertThat(problems.of(Kind.FAILED)).extracting(Problems.Problem::id).containsExactly(1L, 3L);
        assertThat(problems.first(1, Kind.DIFFERENT, Kind.FAILED)).extracting(Problems.Problem::line)
                .containsExactly("accounts id 2 k2: size differs", "accounts id 1 k1: 503");
        assertThat(problems.of(Kind.MISSING_AT_SOURCE)).isEmpty();
    }
}
