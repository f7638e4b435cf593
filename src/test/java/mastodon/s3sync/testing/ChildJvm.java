package mastodon.s3sync.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The tool in a JVM of its own (tests that kill it, bound its heap, or give it a terminal): the java of this JVM, this
 * test run's class path, and start-up options for a process that lives seconds: the C1 compiler only (on two
 * shared cores the C2 compiler threads of a short run cost more than they give back) and the launcher's serial
 * collector (no GC threads). The heap is the test's.
 */
public final class ChildJvm {

    public static final String MAIN = "mastodon.s3sync.Application";
    private static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private ChildJvm() {
    }

    /** {@code java HEAP <quick start> -cp <class path> mastodon.s3sync.Application ARGS}. */
    public static List<String> command(String heap, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(heap);
        cmd.addAll(QUICK_START);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@link #command} as one line for {@code sh -c} or a launcher script, each word single-quoted. */
    public static String shellLine(String heap, String... args) {
        return command(heap, args).stream().map(w -> "'" + w.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }

    /** Starts the tool in {@code workDir} with {@code env} added, stdout and stderr together into {@code log}. */
    public static Process start(Path workDir, Map<String, String> env, Path log, String heap, String... args)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(heap, args)).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }
}
