package mastodon.s3sync.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.JobControl;
import mastodon.s3sync.testing.PostgresServer;

/** The --resubscribe branch of routes/recover-subscriptions.camel.yaml: a command that cannot run is reported. */
class RecoverRoutesResubscribeTest extends RecoverRouteTestSupport {

    @Override
    boolean resubscribe() {
        return true;
    }

    @Test
    void resubscribeCommandThatCannotRunIsReported() throws Exception {
        AdviceWith.adviceWith(context, "resubscribe-account", r -> r.weaveByToUri("ssh:*").replace()
                .throwException(new IOException("Connection refused")));
        String stdout = pass();
        assertThat(stdout).contains("Resubscribing on", "101 alice@remote.example: FAILED: Connection refused",
                "Resubscribed 0 of 1 accounts, 1 failed.");
        assertThat(job.exitCode(-1)).isEqualTo(1);
    }
}
