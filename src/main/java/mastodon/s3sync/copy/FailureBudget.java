package mastodon.s3sync.copy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long each party of a copy (the source store, the target store, the database) may keep failing before the job
 * gives up. A party's outage starts with a failure after its last success and ends with its next success; retries
 * of single objects go on meanwhile. When one outage has lasted longer than the budget, {@link #exhausted()} says
 * which party and the last error, and the job stops (exit 1, checkpoints saved) instead of retrying for hours.
 *
 * <p>One success ends the outage: a store that answers some requests (a throttling provider, a flaky link) is slow,
 * not down, and the per-object retries handle it.
 */
public final class FailureBudget {

    /** A party's current outage: since when, and the last error seen. */
    private record Outage(Instant since, String lastError) {
    }

    private final Duration budget;
    private final Map<String, String> names;
    private final Clock clock;
    private final Map<String, Outage> outages = new ConcurrentHashMap<>();

    /**
     * @param budget how long an outage may last
     * @param names what to call each party in messages (e.g. "target" -> "the target store (http://…, bucket b)")
     */
    public FailureBudget(Duration budget, Map<String, String> names, Clock clock) {
        this.budget = budget;
        this.names = Map.copyOf(names);
        this.clock = clock;
    }

    public FailureBudget(Duration budget, Map<String, String> names) {
        this(budget, names, Clock.systemUTC());
    }

    public Duration budget() {
        return budget;
    }

    public void success(String party) {
        if (!outages.isEmpty()) {
            outages.remove(party);
        }
    }

    /**
     * Records a failed request.
     *
     * @return true when this failure starts an outage (the first since the party's last success)
     */
    public boolean failure(String party, String error) {
        if (party == null) {
            return false;
        }
        Instant now = clock.instant();
        boolean[] started = {false};
        outages.compute(party, (k, o) -> {
            if (o == null) {
                started[0] = true;
                return new Outage(now, error);
            }
            return new Outage(o.since(), error);
        });
        return started[0];
    }

    /** What to call a party in messages. */
    public String name(String party) {
        return names.getOrDefault(party, party);
    }

    /** Null while every outage is within the budget; else why the job must stop, naming the party and its error. */
    public String exhausted() {
        Instant now = clock.instant();
        for (Map.Entry<String, Outage> e : outages.entrySet()) {
            Duration d = Duration.between(e.getValue().since(), now);
            if (d.compareTo(budget) > 0) {
                return name(e.getKey()) + " has failed every request for " + d.toSeconds() + " s (copy.give-up-after: "
                        + budget.toSeconds() + " s). Last error: " + e.getValue().lastError() + ". The checkpoints are "
                        + "saved: when it answers again, rerun the same command to resume.";
            }
        }
        return null;
    }
}
