package mastodon.s3sync;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command runs with: the environment, the output streams, the working directory (relative paths in settings
 * resolve against it) and the launcher that starts its routes.
 */
record Invocation(Map<String, String> env, PrintStream out, PrintStream err, Path workDir,
                  Application.Launcher launcher) {

    /** Prints {@code error: PROBLEM} and returns exit code 2 (bad configuration). */
    int refuse(String problem) {
        err.println("error: " + problem);
        return Application.BAD_CONFIG;
    }

    /** A path setting made absolute against the working directory. */
    Path absolute(String path) {
        return workDir.resolve(path.strip()).toAbsolutePath().normalize();
    }
}
