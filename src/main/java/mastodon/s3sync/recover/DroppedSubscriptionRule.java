package mastodon.s3sync.recover;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which logged requests are a subscription callback the server refused: the path matches {@code recover.path-pattern}
 * (its first capture group, or the group named {@code id}, is the account id), the status passes
 * {@code recover.statuses} and the user agent contains {@code recover.user-agent}.
 *
 * <p>Status rule: comma-separated terms; {@code 3xx} (a class), {@code 404} (one code), {@code 400-499} (a range),
 * each negated by a leading {@code !}. A status passes when it matches a positive term (any status when there is
 * none) and no negated term. Default {@code 3xx,4xx,!429}: a redirect or a client error, but not rate limiting,
 * after which the peer retries instead of dropping the subscription.
 */
public final class DroppedSubscriptionRule {

    public static final String DEFAULT_PATH_PATTERN = "^/api/subscriptions/(\\d+)$";
    public static final String DEFAULT_STATUSES = "3xx,4xx,!429";
    public static final String DEFAULT_USER_AGENT = "Mastodon/PubSubHubbub";

    private record Range(int from, int to) {
        boolean contains(int status) {
            return status >= from && status <= to;
        }
    }

    private final Pattern path;
    private final boolean namedId;
    private final List<Range> include = new ArrayList<>();
    private final List<Range> exclude = new ArrayList<>();
    private final String userAgent;
    private final String description;

    /** @throws IllegalArgumentException naming the bad setting and the fix */
    public DroppedSubscriptionRule(String pathPattern, String statuses, String userAgent) {
        String pp = pathPattern == null || pathPattern.isBlank() ? DEFAULT_PATH_PATTERN : pathPattern.strip();
        try {
            this.path = Pattern.compile(pp);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("recover.path-pattern '" + pp + "' is not a valid regular expression: "
                    + e.getDescription() + ". Fix: e.g. " + DEFAULT_PATH_PATTERN);
        }
        if (path.matcher("").groupCount() < 1) {
            throw new IllegalArgumentException("recover.path-pattern '" + pp + "' has no capture group for the account "
                    + "id. Fix: put the id part in parentheses, e.g. " + DEFAULT_PATH_PATTERN);
        }
        this.namedId = pp.contains("(?<id>");
        String st = statuses == null || statuses.isBlank() ? DEFAULT_STATUSES : statuses.strip();
        for (String term : st.split(",")) {
            String t = term.strip();
            boolean negated = t.startsWith("!");
            Range r = range(negated ? t.substring(1).strip() : t, st);
            (negated ? exclude : include).add(r);
        }
        this.userAgent = userAgent == null ? DEFAULT_USER_AGENT : userAgent;
        this.description = "path ~ " + pp + ", status " + st + ", user agent containing '" + this.userAgent + "'";
    }

    public static DroppedSubscriptionRule from(Function<String, String> props) {
        return new DroppedSubscriptionRule(props.apply("recover.path-pattern"), props.apply("recover.statuses"),
                props.apply("recover.user-agent"));
    }

    private static Range range(String t, String all) {
        try {
            if (t.matches("[1-5]xx")) {
                int c = (t.charAt(0) - '0') * 100;
                return new Range(c, c + 99);
            }
            if (t.matches("\\d{3}-\\d{3}")) {
                Range r = new Range(Integer.parseInt(t.substring(0, 3)), Integer.parseInt(t.substring(4)));
                if (r.from() <= r.to()) {
                    return r;
                }
            } else if (t.matches("\\d{3}")) {
                int c = Integer.parseInt(t);
                return new Range(c, c);
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new IllegalArgumentException("recover.statuses '" + all + "': '" + t + "' is not a status term. Fix: "
                + "comma-separated 3xx (a class), 404 (a code) or 400-499 (a range), each optionally negated with !, "
                + "e.g. " + DEFAULT_STATUSES);
    }

    public boolean statusMatches(int status) {
        boolean in = include.isEmpty() || include.stream().anyMatch(r -> r.contains(status));
        return in && exclude.stream().noneMatch(r -> r.contains(status));
    }

    /** @return whether the request is a refused subscription callback */
    public boolean matches(AccessLogEntry e) {
        return e != null && e.path() != null && statusMatches(e.status())
                && e.userAgent() != null && e.userAgent().contains(userAgent) && path.matcher(e.path()).matches();
    }

    /** @return the account id the path names, or null when the path does not match */
    public String accountId(AccessLogEntry e) {
        if (e == null || e.path() == null) {
            return null;
        }
        Matcher m = path.matcher(e.path());
        return m.matches() ? (namedId ? m.group("id") : m.group(1)) : null;
    }

    /** @return the refused subscription callback this request is (with its account id), or null */
    public RefusedCallback refused(AccessLogEntry e) {
        return matches(e) ? new RefusedCallback(accountId(e), e) : null;
    }

    @Override
    public String toString() {
        return description;
    }
}
