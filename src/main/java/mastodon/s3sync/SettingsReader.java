package mastodon.s3sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import mastodon.s3sync.config.EnvFile;
import mastodon.s3sync.config.Settings;

/**
 * Reads a command's settings from their sources: application.properties (the jar's, then ./application.properties
 * over it), Mastodon's env file (--env-file or MASTODON_ENV_FILE) and the environment.
 */
final class SettingsReader {

    private final Map<String, String> env;
    private final PrintStream err;
    private final Path workDir;
    /** The variables the env file assigned (names only), for config's warning about a file that sets none. */
    private Set<String> envFileVariables = Set.of();

    SettingsReader(Map<String, String> env, PrintStream err, Path workDir) {
        this.env = env;
        this.err = err;
        this.workDir = workDir;
    }

    /** application.properties from the jar, then ./application.properties over it (when present). */
    Properties loadProperties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = SettingsReader.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        Path local = workDir.resolve("application.properties");
        if (Files.isRegularFile(local)) {
            try (InputStream in = Files.newInputStream(local)) {
                p.load(in);
            }
        }
        return p;
    }

    /**
     * @param cliEnvFile the --env-file value, or null (then MASTODON_ENV_FILE names the env file, if set)
     * @throws IOException the env file cannot be read (the message names the setting and the fix)
     */
    Settings read(String cliEnvFile) throws IOException {
        Properties props = loadProperties();
        String envFileName = envFileName(cliEnvFile);
        Map<String, String> envFile = Map.of();
        Path envFileDir = null;
        if (envFileName != null && !envFileName.isBlank()) {
            String named = cliEnvFile != null ? "--env-file" : "MASTODON_ENV_FILE";
            Path f = workDir.resolve(envFileName);
            // Mastodon's directory (Rails.root): local storage's public/system and :rails_root resolve against it
            envFileDir = f.toAbsolutePath().normalize().getParent();
            String fix = ". Fix: " + (cliEnvFile != null ? "pass" : "set MASTODON_ENV_FILE to")
                    + " the path of Mastodon's .env.production (e.g. /home/mastodon/live/.env.production)";
            if (!Files.exists(f)) {
                throw new IOException(named + " '" + envFileName + "' does not exist" + fix + ".");
            }
            if (!Files.isRegularFile(f)) {
                throw new IOException(named + " '" + envFileName + "' is " + (Files.isDirectory(f) ? "a directory"
                        : "not a regular file") + ", not an env file" + fix + ".");
            }
            if (!Files.isReadable(f)) {
                throw new IOException(named + " '" + envFileName + "' cannot be read by this user" + fix
                        + ", and run as a user that may read it (or chmod it).");
            }
            // the line's number, never its text: it may hold a secret
            try {
                envFile = EnvFile.read(f, env,
                        (line, what) -> err.println("warning: " + envFileName + ":" + line + ": " + what));
                envFileVariables = envFile.keySet();
            } catch (IOException e) {
                throw new IOException(named + " '" + envFileName + "' cannot be read (" + e.getMessage() + ")" + fix
                        + ".", e);
            }
        }
        return new Settings(env, envFile, envFileName, envFileDir, props);
    }

    /** The env file's name as given (--env-file, else MASTODON_ENV_FILE), or null. */
    String envFileName(String cliEnvFile) {
        return cliEnvFile != null ? cliEnvFile : env.get("MASTODON_ENV_FILE");
    }

    /** The names the env file assigned (empty before {@link #read} or without an env file). */
    Set<String> envFileVariables() {
        return envFileVariables;
    }
}
