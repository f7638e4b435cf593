package mastodon.s3sync.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import mastodon.s3sync.copy.CopyTask;
import mastodon.s3sync.testing.LogCapture;

/** enqueue-page, send-batch (with enqueue-errors), plan-finish and plan-wait when the planner waits. */
class PlanQueueRouteTest extends PlanQueueRouteTestSupport {

    @Override
    boolean noWait() {
        return false;
    }

    @Test
    void aPageGoesOutInBatchesAndEachAcceptedBatchMovesTheCheckpoint() throws Exception {
        List<CopyTask> tasks = page(25);
        int batches = new TaskBatches(new TaskCodec(), 2).of(tasks).size();
        assertThat(batches).as("more than one SendMessageBatch").isGreaterThan(1);
        // (direct: the page is in the queue when sendBody returns)
        template.sendBody("direct:enqueue-page", tasks);
        assertThat(checkpoint()).as("every row enqueued: the checkpoint is after the last").hasValue(25);
        assertThat(enqueuedCounter()).isEqualTo(tasks.size());
        assertThat(drain()).as("each task once").containsExactlyInAnyOrderElementsOf(
                tasks.stream().map(CopyTask::targetKey).toList());
    }

    @Test
    void aRefusedEntryFailsItsBatchOnlyItsRetriesSendNothingTwiceAndThePlannerEndsWithExit1() throws Exception {
        List<CopyTask> tasks = page(2);
        List<CopyTask> row1 = tasks.stream().filter(t -> t.rowId() == 1).toList();
        List<CopyTask> row2 = tasks.stream().filter(t -> t.rowId() == 2).toList();
        // SQS refuses a body with a character outside its set (the sender's fault); the other entry is accepted
        TaskBatches.Batch batch = new TaskBatches.Batch(List.of(
                new TaskBatches.Message(new TaskCodec().encode(row1), row1),
                new TaskBatches.Message("refused \u0000", row2)));
        // handled by enqueue-errors after its retries: sendBody returns
        template.sendBody("direct:send-batch", batch);
        assertThat(job.parts().outcomes().failed()).as("the batch's tasks failed").isEqualTo(tasks.size());
        assertThat(checkpoint().orElse(0)).as("the checkpoint stays before their rows").isZero();
        assertThat(enqueuedCounter()).isZero();
        assertThat(drain()).as("the accepted entry once, although the batch was sent three times (copy.retries 2)")
                .containsExactlyElementsOf(row1.stream().map(CopyTask::targetKey).toList());
        // planning ends: a failed row ends the planner with exit 1 and no wait
        try (LogCapture log = new LogCapture("mastodon.s3sync.progress")) {
            NotifyBuilder finished = new NotifyBuilder(context).fromRoute("plan-finish")
                    .filter(e -> e.getMessage().getBody() instanceof Integer).whenDone(1).create();
            job.parts().cursors().scanned("accounts");
            assertThat(finished.matches(20, TimeUnit.SECONDS)).isTrue();
            assertThat(control.exitCode(-1)).isEqualTo(1);
            assertThat(log.text()).contains("planning failed for some rows");
        }
        assertThat(context.getRouteController().getRouteStatus("plan-wait")).isEqualTo(ServiceStatus.Stopped);
    }

    @Test
    void afterPlanningTheWaitPrintsTheDepthAndTheTargetUntilTheQueueIsDrained() throws Exception {
        List<CopyTask> tasks = page(3);
        template.sendBody("direct:enqueue-page", tasks);
        putTarget(tasks.get(0));
        int messages = (tasks.size() + 1) / 2;
        try (LogCapture log = new LogCapture("mastodon.s3sync.progress")) {
            NotifyBuilder waited = new NotifyBuilder(context).fromRoute("plan-wait").whenDone(2).create();
            job.parts().cursors().scanned("accounts");
            assertThat(waited.matches(20, TimeUnit.SECONDS)).isTrue();
            assertThat(log.text()).contains("planned; waiting for the workers to drain the work queue")
                    .contains("work queue: " + messages + " message(s) waiting, 0 held by workers | target: at least 1 of "
                            + tasks.size() + " objects enqueued by this run present");
            assertThat(control.exitCode(-1)).as("still waiting").isEqualTo(-1);
            // the workers are done: the queue empties, the planner ends (the command verifies next)
            List<String> keys = new ArrayList<>(drain());
            assertThat(keys).hasSize(tasks.size());
            NotifyBuilder drained = new NotifyBuilder(context).fromRoute("plan-wait")
                    .filter(e -> e.getProperty("depth", QueueWatch.Depth.class).drained()).whenDone(1).create();
            assertThat(drained.matches(20, TimeUnit.SECONDS)).isTrue();
            assertThat(log.text()).contains("work queue: 0 message(s) waiting, 0 held by workers\n")
                    .contains("work queue drained");
        }
        assertThat(control.exitCode(-1)).isZero();
    }

    @Test
    void aQueueWhoseDepthCannotBeReadIsCountedAsAnOutageAndTheWaitGoesOn() throws Exception {
        List<CopyTask> tasks = page(1);
        template.sendBody("direct:enqueue-page", tasks);
        assertThat(budget.exhausted()).as("accepted batches: no outage").isNull();
        client.deleteQueue(r -> r.queueUrl(queueUrl)); // every reading of the depth now fails
        try (LogCapture log = new LogCapture("mastodon.s3sync.queue")) {
            NotifyBuilder readings = new NotifyBuilder(context).fromRoute("plan-wait").whenDone(3).create();
            job.parts().cursors().scanned("accounts");
            assertThat(readings.matches(20, TimeUnit.SECONDS)).isTrue();
            assertThat(log.text()).contains("the work queue's depth cannot be read (" + queueUrl + ")");
        }
        assertThat(context.getRouteController().getRouteStatus("plan-wait")).as("the wait goes on")
                .isEqualTo(ServiceStatus.Started);
        // the watchdog (copy.camel.yaml's copy-watchdog) ends the planner once the outage outlasts the budget (1 s)
        NotifyBuilder more = new NotifyBuilder(context).fromRoute("plan-wait").whenDone(12).create();
        assertThat(more.matches(20, TimeUnit.SECONDS)).isTrue();
        assertThat(budget.exhausted()).startsWith("the work queue (" + queueUrl + ") has failed every request for");
        assertThat(control.exitCode(-1)).as("no route of this file ends the planner on its own").isEqualTo(-1);
    }
}
