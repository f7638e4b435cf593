package mastodon.s3sync.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import mastodon.s3sync.copy.CopyTask;
import mastodon.s3sync.testing.LogCapture;

/** plan-finish with --no-wait: the planner ends once everything is enqueued, plan-wait never starts. */
class PlanQueueNoWaitRouteTest extends PlanQueueRouteTestSupport {

    @Override
    boolean noWait() {
        return true;
    }

    @Test
    void withNoWaitThePlannerEndsOnceEverythingIsEnqueued() throws Exception {
        List<CopyTask> tasks = page(3);
        template.sendBody("direct:enqueue-page", tasks);
        try (LogCapture log = new LogCapture("mastodon.s3sync.progress")) {
            NotifyBuilder finished = new NotifyBuilder(context).fromRoute("plan-finish")
                    .filter(e -> e.getMessage().getBody() instanceof Integer).whenDone(1).create();
            job.parts().cursors().scanned("accounts");
            assertThat(finished.matches(20, TimeUnit.SECONDS)).isTrue();
            assertThat(log.text()).contains("planned; --no-wait");
        }
        assertThat(control.exitCode(-1)).isZero();
        assertThat(context.getRouteController().getRouteStatus("plan-wait")).isEqualTo(ServiceStatus.Stopped);
        assertThat(drain()).as("the tasks stay for the workers").hasSize(tasks.size());
    }
}
