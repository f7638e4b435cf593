package mastodon.s3sync;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.sshd.client.ClientBuilder;

import mastodon.s3sync.recover.DroppedSubscriptionCounter;
import mastodon.s3sync.recover.DroppedSubscriptionRule;
import mastodon.s3sync.recover.HostKeyCheck;
import mastodon.s3sync.recover.NginxCombinedLog;
import mastodon.s3sync.recover.ResubscribeCommand;
import mastodon.s3sync.recover.SshTarget;
import mastodon.s3sync.recover.SubscriptionRecovery;

/** The beans of routes/recover-subscriptions.camel.yaml, built from the recover.* properties when first used. */
public class RecoverBeans implements CamelConfiguration {

    @BindToRegistry(value = "nginxCombinedLog", lazy = true)
    public NginxCombinedLog nginxCombinedLog() {
        return new NginxCombinedLog();
    }

    @BindToRegistry(value = "droppedSubscriptionRule", lazy = true)
    public DroppedSubscriptionRule droppedSubscriptionRule(CamelContext ctx) {
        return DroppedSubscriptionRule.from(Beans.props(ctx));
    }

    @BindToRegistry(value = "droppedSubscriptionCounter", lazy = true)
    public DroppedSubscriptionCounter droppedSubscriptionCounter(CamelContext ctx) {
        return new DroppedSubscriptionCounter(Path.of(Beans.props(ctx).apply("recover.follow-log")), Clock.systemUTC());
    }

    @BindToRegistry(value = "subscriptionRecovery", lazy = true)
    public SubscriptionRecovery subscriptionRecovery(CamelContext ctx) {
        Function<String, String> p = Beans.props(ctx);
        List<Path> logs = Arrays.stream(p.apply("recover.logs").split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).map(Path::of).toList();
        PrintStream out = ctx.getRegistry().lookupByNameAndType("stdout", PrintStream.class);
        return new SubscriptionRecovery(logs, new ResubscribeCommand(p.apply("recover.command")), SshTarget.from(p),
                Boolean.parseBoolean(p.apply("recover.resubscribe")),
                StateLocation.recoverReport(System.getenv(), Path.of("").toAbsolutePath(), p).dir(),
                out == null ? System.out : out);
    }

    @BindToRegistry(value = "recoverHostKeys", lazy = true)
    public HostKeyCheck recoverHostKeys(CamelContext ctx) {
        return new HostKeyCheck(SshTarget.from(Beans.props(ctx)));
    }

    /** camel-ssh's client, checking the host key against known_hosts (recoverHostKeys). */
    @BindToRegistry(value = "recoverSshClient", lazy = true)
    public ClientBuilder recoverSshClient(CamelContext ctx) {
        return ClientBuilder.builder().serverKeyVerifier(
                ctx.getRegistry().lookupByNameAndType("recoverHostKeys", HostKeyCheck.class));
    }
}
