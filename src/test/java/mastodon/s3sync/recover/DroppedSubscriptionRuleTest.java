package mastodon.s3sync.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class DroppedSubscriptionRuleTest {

    private static final String UA = "http.rb/4.4.1 (Mastodon/PubSubHubbub; +https://peer.example/)";
    private final DroppedSubscriptionRule rule = new DroppedSubscriptionRule(null, null, null);

    private static AccessLogEntry entry(String path, int status, String ua) {
        return new AccessLogEntry("10.0.0.1", Instant.EPOCH, "POST", path, null, status, "-", ua);
    }

    @Test
    void defaultStatusRuleIsRedirectsAndClientErrorsExceptRateLimiting() {
        for (int s : new int[] {100, 200, 201, 204, 299, 429, 500, 502, 503}) {
            assertThat(rule.statusMatches(s)).as("status %d", s).isFalse();
        }
        for (int s : new int[] {300, 301, 302, 307, 308, 399, 400, 401, 403, 404, 410, 422, 428, 430, 499}) {
            assertThat(rule.statusMatches(s)).as("status %d", s).isTrue();
        }
    }

    @Test
    void matchesPathStatusAndUserAgentTogether() {
        assertThat(rule.matches(entry("/api/subscriptions/101", 404, UA))).isTrue();
        assertThat(rule.accountId(entry("/api/subscriptions/101", 404, UA))).isEqualTo("101");
        assertThat(rule.matches(entry("/api/subscriptions/101", 429, UA))).isFalse();
        assertThat(rule.matches(entry("/api/subscriptions/101", 200, UA))).isFalse();
        assertThat(rule.matches(entry("/api/subscriptions/101", 503, UA))).isFalse();
        assertThat(rule.matches(entry("/api/subscriptions/101", 404, "Mozilla/5.0"))).isFalse();
        assertThat(rule.matches(entry("/api/subscriptions/101", 404, "mastodon/pubsubhubbub"))).isFalse();
        assertThat(rule.matches(entry("/api/subscriptions/abc", 404, UA))).isFalse();
        assertThat(rule.matches(entry("/api/subscriptions/101/x", 404, UA))).isFalse();
        assertThat(rule.matches(entry("/api/v1/accounts/101", 404, UA))).isFalse();
        assertThat(rule.matches(entry(null, 400, UA))).isFalse();
        assertThat(rule.matches(null)).isFalse();
    }

    @Test
    void everythingIsConfigurable() {
        DroppedSubscriptionRule inbox = new DroppedSubscriptionRule("^/users/(?<user>[^/]+)/inbox/(?<id>\\d+)$",
                "400-410, 5xx, !503", "Pleroma");
        AccessLogEntry e = entry("/users/alice/inbox/77", 502, "Pleroma 2.5");
        assertThat(inbox.matches(e)).isTrue();
        assertThat(inbox.accountId(e)).isEqualTo("77");
        assertThat(inbox.statusMatches(410)).isTrue();
        assertThat(inbox.statusMatches(411)).isFalse();
        assertThat(inbox.statusMatches(503)).isFalse();
        assertThat(new DroppedSubscriptionRule(null, "!2xx", "").statusMatches(302)).isTrue();
        assertThat(new DroppedSubscriptionRule(null, "!2xx", "").matches(entry("/api/subscriptions/1", 302, "any")))
                .isTrue();
    }

    @Test
    void badSettingsNameTheKeyAndTheFix() {
        assertThatThrownBy(() -> new DroppedSubscriptionRule("^/api/subscriptions/\\d+$", null, null))
                .hasMessageContaining("recover.path-pattern").hasMessageContaining("no capture group");
        assertThatThrownBy(() -> new DroppedSubscriptionRule("^/api/(", null, null))
                .hasMessageContaining("not a valid regular expression");
        assertThatThrownBy(() -> new DroppedSubscriptionRule(null, "3xx,4x", null))
                .hasMessageContaining("recover.statuses").hasMessageContaining("'4x'");
        assertThatThrownBy(() -> new DroppedSubscriptionRule(null, "499-400", null))
                .hasMessageContaining("'499-400'");
        assertThatThrownBy(() -> new DroppedSubscriptionRule(null, "3xx,,4xx", null))
                .hasMessageContaining("recover.statuses");
    }

    @Test
    void theCommandNamesTheAccount() {
        assertThat(new ResubscribeCommand(null).forAccount(42)).isEqualTo("cd ~/live && RAILS_ENV=production bundle "
                + "exec rails runner 'SubscribeService.new.call(Account.find(42))'");
        assertThat(new ResubscribeCommand("echo ID IDS ID").forAccount(7)).isEqualTo("echo 7 IDS 7");
        assertThatThrownBy(() -> new ResubscribeCommand("echo id")).hasMessageContaining("recover.command");
    }
}
