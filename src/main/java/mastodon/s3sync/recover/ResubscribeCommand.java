package mastodon.s3sync.recover;

import java.util.regex.Pattern;

/**
 * The shell command that resubscribes one account on the Mastodon host: {@code recover.command}, with every
 * whole-word {@code ID} replaced by the account's numeric id (only ids found in {@code accounts} get here, so nothing
 * but digits is ever substituted into the command line).
 */
public final class ResubscribeCommand {

    public static final String DEFAULT = "cd ~/live && RAILS_ENV=production bundle exec rails runner "
            + "'SubscribeService.new.call(Account.find(ID))'";
    private static final Pattern ID = Pattern.compile("\\bID\\b");

    private final String template;

    /** @throws IllegalArgumentException when the template does not name the account */
    public ResubscribeCommand(String template) {
        this.template = template == null || template.isBlank() ? DEFAULT : template.strip();
        if (!ID.matcher(this.template).find()) {
            throw new IllegalArgumentException("recover.command '" + this.template + "' does not contain ID, the "
                    + "placeholder for the account id. Fix: e.g. " + DEFAULT);
        }
    }

    public String forAccount(long id) {
        return ID.matcher(template).replaceAll(Long.toString(id));
    }
}
