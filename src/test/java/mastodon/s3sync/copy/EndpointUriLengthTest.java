package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.InProcessRunner;

/**
 * The copy routes' endpoint URIs stay short. Camel masks secrets in an endpoint URI ({@link URISupport#sanitizeUri})
 * with a regular expression whose cost grows with the square of the URI's length, and it does so several times per
 * endpoint while the routes start (the endpoint's and the step's MBean names, node labels, thread names). The page
 * queries of copy.camel.yaml, 400-600 characters each in 18 endpoint URIs, cost about a quarter of a second of
 * {@code run}'s start that way: the queries now go in the CamelSqlQuery header.
 */
@Timeout(120)
@CopyServers
class EndpointUriLengthTest {

    /** About half a millisecond of masking at this length (3 ms at 550 characters, 88 ms at 3,000). */
    private static final int LONGEST = 250;

    static CopyEnvironment servers;

    @BeforeAll
    static void start(CopyEnvironment shared) {
        servers = shared;
    }

    @Test
    void noEndpointUriOfTheCopyRoutesCarriesAQuery(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        List<String> uris = new CopyOnWriteArrayList<>();
        InProcessRunner.Running copy = new InProcessRunner(w.env, w.workDir).start("copy", "--dry-run");
        CamelContext ctx = copy.context(Duration.ofSeconds(60));
        ctx.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStartedEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                ctx.getEndpoints().stream().map(Endpoint::getEndpointUri).forEach(uris::add);
            }
        });
        assertThat(copy.await(Duration.ofSeconds(90)).code()).isZero();
        assertThat(uris).as("the endpoints once the routes started").isNotEmpty()
                .anyMatch(u -> u.startsWith("sql:"))
                .allSatisfy(u -> assertThat(u).as("an endpoint URI").hasSizeLessThan(LONGEST));
    }
}
