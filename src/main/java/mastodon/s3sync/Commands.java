package mastodon.s3sync;

import java.util.List;

import mastodon.s3sync.CommandLine.Spec;

/**
 * The public interface: commands and their options (keep these names stable), in the order the help lists them. Each
 * command's class owns its options.
 */
public final class Commands {

    private Commands() {
    }

    public static final List<Spec> ALL = concat(CopyCommand.SPECS, List.of(MirrorCommand.SPEC, RecoverCommand.SPEC,
            ConfigCommand.SPEC, new Spec("help", "print this help", List.of())));

    @SafeVarargs
    static <T> List<T> concat(List<T>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
