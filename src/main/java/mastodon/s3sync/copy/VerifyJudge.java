package mastodon.s3sync.copy;

import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * verify's verdict on one expected key (bean {@code verifyJudge}, called by the verify-object route): ok, missing at
 * the source, missing in the target, or different there (size or Content-Type).
 */
public final class VerifyJudge {

    private final CopyOutcomes outcomes;
    private final FailureBudget budget;

    public VerifyJudge(CopyOutcomes outcomes, FailureBudget budget) {
        this.outcomes = outcomes;
        this.budget = budget;
    }

    /**
     * The Content-Type the target must have: the source object's own when it is specific, else the one Mastodon's
     * rules give (the routes HEAD the source whenever the target's type is not that one).
     *
     * @param sourceType the source's type from its HEAD, null when it was not HEADed
     */
    static String expectedContentType(CopyTask task, String sourceType) {
        return sourceType != null && !MastodonKeys.isGenericContentType(sourceType) ? sourceType : task.contentType();
    }

    /**
     * Judges one key of a bucket target.
     *
     * @param target     the target's HEAD, null when it lacks the key
     * @param sourceSize the source's size (listed or HEADed), {@link CopyTask#ABSENT} or null when it lacks the key
     * @param sourceType the source's Content-Type when it was HEADed, else null
     */
    public void verify(CopyTask task, HeadObjectResponse target, Long sourceSize, String sourceType) {
        budget.success("target");
        if (sourceSize != null && sourceSize == CopyTask.ABSENT) {
            sourceSize = null;
        }
        if (target == null && sourceSize == null) {
            outcomes.missing(task);
            return;
        }
        String problem = null;
        if (target == null) {
            problem = "missing in target";
        } else if (sourceSize != null && !target.contentLength().equals(sourceSize)) {
            problem = sizeDiffers(sourceSize, target.contentLength());
        } else if (!expectedContentType(task, sourceType).equals(target.contentType())) {
            problem = "Content-Type is '" + target.contentType() + "', expected '"
                    + expectedContentType(task, sourceType) + "'";
        }
        outcomes.verdict(task, problem, target == null, target == null ? 0 : target.contentLength());
    }

    /**
     * Judges one key of a directory target (local storage): a file has no headers, so the sizes the page's listings
     * found decide (the target's from a stat; the source's from its listing, a HEAD when it was not listed).
     */
    public void verifySizes(CopyTask task, Long sourceSize) {
        budget.success("target");
        long targetSize = task.targetSize() == null ? CopyTask.ABSENT : task.targetSize();
        boolean sourceAbsent = sourceSize == null || sourceSize == CopyTask.ABSENT;
        if (targetSize == CopyTask.ABSENT && sourceAbsent) {
            outcomes.missing(task);
            return;
        }
        String problem = targetSize == CopyTask.ABSENT ? "missing in target"
                : !sourceAbsent && targetSize != sourceSize ? sizeDiffers(sourceSize, targetSize) : null;
        outcomes.verdict(task, problem, targetSize == CopyTask.ABSENT, targetSize);
    }

    private static String sizeDiffers(long source, long target) {
        return "size differs: source " + source + " bytes, target " + target + " bytes";
    }
}
