package mastodon.s3sync.copy;

import java.io.IOException;
import java.util.Set;

import mastodon.s3sync.store.PartedUpload;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Which store errors are worth another try: throttling (429, SlowDown, B2's "too busy"), server errors (5xx) and
 * connection problems. A 403 or a 404 will not change by retrying.
 */
public final class RetryPolicy {

    private static final Set<String> RETRYABLE_CODES = Set.of("SlowDown", "RequestTimeout", "RequestTimeTooSkewed",
            "InternalError", "ServiceUnavailable", "Throttling", "ThrottlingException", "TooManyRequests",
            "RequestLimitExceeded", "BandwidthLimitExceeded");

    public boolean isRetryable(Throwable t) {
        if (t instanceof PartedUpload.GaveUpException) {
            // a part of a large object already had its retries (PartedUpload): the whole object would repeat them
            return false;
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AwsServiceException e) {
                int s = e.statusCode();
                String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                return s >= 500 || s == 429 || (code != null && RETRYABLE_CODES.contains(code));
            }
            if (c instanceof java.nio.file.FileSystemException) {
                // a local file that is missing, unreadable, a directory, or a key refused as a path: it stays so
                return false;
            }
            if (c instanceof SdkClientException || c instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** The HTTP status of a store error, or 0. */
    public static int status(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AwsServiceException e) {
                return e.statusCode();
            }
        }
        return 0;
    }

    /** One line for logs and the report: the store's error code and message, no stack trace. */
    public static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AwsServiceException e && e.awsErrorDetails() != null) {
                return "HTTP " + e.statusCode() + " " + e.awsErrorDetails().errorCode() + ": "
                        + e.awsErrorDetails().errorMessage();
            }
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
