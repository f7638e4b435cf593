package mastodon.s3sync.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * What planner and workers check on the work queue before they start: it exists and answers, it is a standard queue
 * (not FIFO), and it has a RedrivePolicy naming a dead-letter queue. Without one, a batch that can never be done (an
 * object the target refuses) would come back forever and the planner would wait forever: so both refuse to start
 * (exit 2), with the aws CLI command that sets it. A maxReceiveCount below 3 is a warning: one killed worker already
 * costs a receive.
 */
public final class QueueCheck {

    /** The queue's URL, its dead-letter queue's (null when it cannot be resolved), and warnings to print. */
    public record Result(String url, String deadLetterUrl, int maxReceiveCount, List<String> warnings,
                         String problem) {
        static Result problem(String problem) {
            return new Result(null, null, 0, List.of(), problem);
        }

        public boolean ok() {
            return problem == null;
        }
    }

    private QueueCheck() {
    }

    public static Result check(QueueSettings s, SqsClient sqs) {
        String url;
        Map<String, String> attributes;
        try {
            url = s.isUrl() ? s.queue() : sqs.getQueueUrl(r -> r.queueName(s.queue())).queueUrl();
            attributes = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings("All"))
                    .attributesAsStrings();
        } catch (QueueDoesNotExistException e) {
            return Result.problem("the work queue '" + s.queue() + "' does not exist at " + s.where() + ". Fix: "
                    + "create it with its dead-letter queue (docs/scale-out.md): aws sqs create-queue --queue-name "
                    + s.name() + "-dlq; aws sqs create-queue --queue-name " + s.name() + " --attributes "
                    + redriveExample(s.name()) + "; or check the endpoint (AWS_ENDPOINT_URL_SQS, queue.endpoint) "
                    + "and the region (AWS_REGION, queue.region).");
        } catch (SqsException e) {
            return Result.problem("the work queue '" + s.queue() + "' at " + s.where() + " answered HTTP "
                    + e.statusCode() + " (" + (e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorCode()) + "). Fix: check the credentials (QUEUE_ACCESS_KEY / "
                    + "QUEUE_SECRET_KEY, else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) and the queue's policy "
                    + "(sqs:SendMessage, sqs:ReceiveMessage, sqs:DeleteMessage, sqs:ChangeMessageVisibility, "
                    + "sqs:GetQueueAttributes).");
        } catch (RuntimeException e) {
            return Result.problem("the work queue '" + s.queue() + "' cannot be reached at " + s.where() + ": "
                    + e.getMessage() + ". Fix: check AWS_ENDPOINT_URL_SQS (or queue.endpoint) and AWS_REGION.");
        }
        return judge(s, url, attributes, sqs);
    }

    /** The verdict on a queue's attributes (GetQueueAttributes All). */
    static Result judge(QueueSettings s, String url, Map<String, String> attributes, SqsClient sqs) {
        if ("true".equalsIgnoreCase(attributes.get("FifoQueue"))) {
            return Result.problem("the work queue '" + s.name() + "' is a FIFO queue; the copy's tasks need no order "
                    + "and a FIFO queue would serialise them. Fix: create a standard queue (docs/scale-out.md).");
        }
        String redrive = attributes.get(QueueAttributeName.REDRIVE_POLICY.toString());
        if (redrive == null || redrive.isBlank()) {
            return Result.problem("the work queue '" + s.name() + "' has no dead-letter queue (RedrivePolicy): a "
                    + "batch that can never be done would come back forever and the planner would never see the "
                    + "queue drained. Fix: create a dead-letter queue and set the policy, e.g. aws sqs create-queue "
                    + "--queue-name " + s.name() + "-dlq; aws sqs set-queue-attributes --queue-url " + url
                    + " --attributes " + redriveExample(s.name()) + " (use the dead-letter queue's ARN from aws sqs "
                    + "get-queue-attributes --attribute-names QueueArn).");
        }
        String arn;
        int maxReceive;
        try {
            JsonNode policy = new ObjectMapper().readTree(redrive);
            arn = policy.path("deadLetterTargetArn").asText("");
            maxReceive = policy.path("maxReceiveCount").asInt(0);
        } catch (java.io.IOException e) {
            return Result.problem("the RedrivePolicy of the work queue '" + s.name() + "' is not JSON: " + redrive
                    + ". Fix: set it again with aws sqs set-queue-attributes (docs/scale-out.md).");
        }
        List<String> warnings = new ArrayList<>();
        if (maxReceive < 3) {
            warnings.add("the work queue's maxReceiveCount is " + maxReceive + ": a batch goes to the dead-letter "
                    + "queue after " + maxReceive + " receive(s), and a worker killed while holding it costs one. "
                    + "5 or more is safer (docs/scale-out.md).");
        }
        String dlqName = arn.substring(arn.lastIndexOf(':') + 1);
        String dlqUrl = null;
        try {
            dlqUrl = dlqName.isEmpty() ? null : sqs.getQueueUrl(r -> r.queueName(dlqName)).queueUrl();
        } catch (RuntimeException e) {
            warnings.add("the dead-letter queue '" + dlqName + "' of the work queue cannot be found (" + e.getMessage()
                    + "): its depth will not be reported.");
        }
        return new Result(url, dlqUrl, maxReceive, List.copyOf(warnings), null);
    }

    /** The --attributes value of a create-queue or set-queue-attributes command, for the messages and the docs. */
    static String redriveExample(String name) {
        return "'{\"VisibilityTimeout\":\"120\",\"RedrivePolicy\":\"{\\\"deadLetterTargetArn\\\":\\\"arn:aws:sqs:"
                + "REGION:ACCOUNT:" + name + "-dlq\\\",\\\"maxReceiveCount\\\":\\\"5\\\"}\"}'";
    }
}
