package mastodon.s3sync;

import java.nio.file.Path;
import java.util.LinkedHashSet;

import mastodon.s3sync.mirror.MirrorConfig;
import mastodon.s3sync.mirror.MirrorSettings;
import mastodon.s3sync.store.DirectoryChecks;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The mirror's checks before it starts ({@link Preflight} holds the other commands'): its options, its directories
 * (created when missing; a probe file proves them writable), the queue it consumes and, for --resync, the bucket.
 */
final class MirrorPreflight {

    private MirrorPreflight() {
    }

    /** The queue URL the mirror consumes, or the problem that stops it. */
    record Check(String queueUrl, String problem) {
        static Check problem(String p) {
            return new Check(null, p);
        }
    }

    /** The mirror's options, directories (created when missing; a probe file proves them writable), queue, bucket. */
    static Check check(MirrorSettings s, Path stateDir, boolean resync, boolean delete) {
        if (delete && !resync) {
            return Check.problem("--delete only works with --resync (it deletes local files a bucket listing "
                    + "does not have).");
        }
        for (Path dir : new LinkedHashSet<>(s.config().sync().values())) {
            String p = DirectoryChecks.writable(dir, "directory '" + dir + "' of the mirror config");
            if (p != null) {
                return Check.problem(p);
            }
        }
        String p = DirectoryChecks.writable(stateDir, "state directory '" + stateDir + "' (mirror.state-dir)");
        if (p != null) {
            return Check.problem(p);
        }
        String where = s.sqsEndpoint().isEmpty() ? "AWS SQS (" + s.region() + ")" : s.sqsEndpoint();
        String url;
        try (SqsClient sqs = s.sqsClient()) {
            if (MirrorConfig.isUrl(s.queue())) {
                url = s.queue();
                sqs.getQueueAttributes(r -> r.queueUrl(s.queue()).attributeNames(QueueAttributeName.QUEUE_ARN));
            } else {
                url = sqs.getQueueUrl(r -> r.queueName(s.queue())).queueUrl();
            }
        } catch (QueueDoesNotExistException e) {
            return Check.problem("the queue '" + s.queue() + "' does not exist at " + where + ". Fix: check "
                    + "\"queue\" in " + s.config().file() + ", the region (AWS_REGION or \"region\") and the endpoint "
                    + "(AWS_ENDPOINT_URL_SQS or \"sqs_endpoint\"), or create the queue (docs/mirror.md).");
        } catch (SqsException e) {
            return Check.problem("the queue '" + s.queue() + "' at " + where + " answered HTTP " + e.statusCode()
                    + " (" + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode())
                    + "). Fix: check the credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) and the queue policy.");
        } catch (RuntimeException e) {
            return Check.problem("the queue '" + s.queue() + "' cannot be reached at " + where + ": "
                    + e.getMessage() + ". Fix: check AWS_ENDPOINT_URL_SQS / \"sqs_endpoint\" and AWS_REGION.");
        }
        if (resync) {
            if (s.bucket().isEmpty()) {
                return Check.problem("--resync needs the bucket to list. Fix: add \"bucket\": \"NAME\" to "
                        + s.config().file() + " (or set mirror.bucket).");
            }
            try (S3Client s3 = s.s3Client()) {
                s3.headBucket(r -> r.bucket(s.bucket()));
            } catch (S3Exception e) {
                return Check.problem("the bucket " + s.store().describe() + " answered HTTP " + e.statusCode()
                        + (e.statusCode() == 404 ? " (it does not exist)" : "") + ". Fix: check \"bucket\", "
                        + "\"s3_endpoint\" / AWS_ENDPOINT_URL_S3 and the credentials.");
            } catch (RuntimeException e) {
                return Check.problem("the bucket " + s.store().describe() + " cannot be reached: "
                        + e.getMessage() + ". Fix: check \"s3_endpoint\" / AWS_ENDPOINT_URL_S3 and AWS_REGION.");
            }
        }
        return new Check(url, null);
    }
}
