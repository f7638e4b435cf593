package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/mastodon-s3-sync started from another directory and through a symlink: it finds its jar beside the real
 * script, and the help shows the command as it was typed. The jar is a stand-in laid out as a build leaves it
 * (target/mastodon-s3-sync.jar beside bin/), whose manifest points at this test's class path.
 */
@Timeout(60)
class LauncherTest {

    /** A copy of the launcher in {@code root/bin}, and a jar in {@code root/target} that runs Application. */
    static Path install(Path root) throws IOException {
        return install(root, Application.class);
    }

    /** The same with another main class in the jar's manifest. */
    static Path install(Path root, Class<?> main) throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path script = bin.resolve("mastodon-s3-sync");
        Files.copy(Path.of("bin/mastodon-s3-sync"), script);
        script.toFile().setExecutable(true);
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, List.of(System.getProperty("java.class.path")
                .split(File.pathSeparator)).stream().map(p -> Path.of(p).toAbsolutePath().toUri().toString())
                .collect(Collectors.joining(" ")));
        Path target = Files.createDirectories(root.resolve("target"));
        try (OutputStream out = Files.newOutputStream(target.resolve("mastodon-s3-sync.jar"));
             JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return script;
    }

    static ProcessBuilder launcher(Path script, Path cwd, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
                + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().remove("MASTODON_S3_SYNC_JAR");
        pb.environment().remove("JAVA_OPTS");
        return pb;
    }

    @Test
    void throughASymlinkFromAnotherDirectoryItFindsItsJarAndShowsItsName(@TempDir Path dir) throws Exception {
        Path script = install(dir.resolve("opt/mastodon-s3-sync"));
        Path links = Files.createDirectories(dir.resolve("usr/local/bin"));
        Path link = Files.createSymbolicLink(links.resolve("mss"), script);
        Path elsewhere = Files.createDirectories(dir.resolve("home/someone"));

        Process p = launcher(link, elsewhere, "copy", "--help").redirectErrorStream(true).start();
        assertThat(p.waitFor(50, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).startsWith("Usage: " + link + " copy [OPTIONS]").contains("--dry-run");
    }

    /** The routes of the installation (beside bin/), not a routes/ that happens to be in the working directory. */
    @Test
    void throughASymlinkFromAnotherDirectoryTheRoutesAreTheInstallations(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("opt/mastodon-s3-sync");
        Path script = install(root);
        Files.createDirectories(root.resolve("routes"));
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("bin")).resolve("mss"), script);
        Path elsewhere = Files.createDirectories(dir.resolve("home/someone"));
        Files.createDirectories(elsewhere.resolve("routes")); // an accident of the working directory

        ProcessBuilder pb = launcher(link, elsewhere, "config");
        pb.environment().put("XDG_STATE_HOME", dir.resolve("state-home").toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("APP_") || k.startsWith("MASTODON_"));
        Process p = pb.redirectErrorStream(true).start();
        assertThat(p.waitFor(50, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).containsPattern("app\\.routes-dir += " + java.util.regex.Pattern.quote(
                root.toRealPath().resolve("routes").toString()) + " +# default: the installation's routes");
    }

    @Test
    void aMissingJarIsNamedWithTheFix(@TempDir Path dir) throws Exception {
        Path script = install(dir.resolve("app"));
        Files.delete(dir.resolve("app/target/mastodon-s3-sync.jar"));
        Process p = launcher(script, dir, "--help").redirectErrorStream(true).start();
        assertThat(p.waitFor(50, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("error: the jar ", "target/mastodon-s3-sync.jar does not exist. Fix:",
                "MASTODON_S3_SYNC_JAR");
    }

    /** Stands in for the application: prints the JVM's options, one a line. */
    public static final class PrintJvmOptions {
        public static void main(String[] args) {
            ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(System.out::println);
        }
    }

    /**
     * Stands in for a copy whose page thread runs out of heap: that thread fills the heap and dies of it, while the
     * main thread waits for the work, as the copy waits for each table's pages.
     */
    public static final class OutOfMemoryInAThread {
        public static void main(String[] args) throws Exception {
            Thread page = new Thread(() -> {
                List<long[]> rows = new java.util.ArrayList<>(); // a page too large for the heap
                while (true) {
                    rows.add(new long[1 << 20]);
                }
            }, "page-media_attachments");
            page.start();
            page.join();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static List<String> jvmOptions(Path script, Path cwd, String... args) throws Exception {
        Process p = launcher(script, cwd, args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(50, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }

    /**
     * The jobs keep the optimizing compiler (over https it halves the CPU per object: bench/RESULTS.md, "C1 or C2");
     * help, --version and config get the quick compiler alone. JAVA_OPTS replaces the launcher's options.
     */
    @Test
    void theJobsKeepTheOptimizingCompilerAndTheQuickCommandsGetTheQuickOne(@TempDir Path dir) throws Exception {
        Path script = install(dir.resolve("app"), PrintJvmOptions.class);
        for (String job : List.of("copy", "verify", "run", "mirror", "repair", "recover-subscriptions")) {
            assertThat(jvmOptions(script, dir, job)).as(job).contains("-XX:+UseSerialGC", "-Xmx128m")
                    .doesNotContain("-XX:TieredStopAtLevel=1");
        }
        for (String quick : List.of("--help", "--version", "config")) {
            assertThat(jvmOptions(script, dir, quick)).as(quick).contains("-XX:TieredStopAtLevel=1");
        }
        ProcessBuilder own = launcher(script, dir, "copy").redirectError(ProcessBuilder.Redirect.DISCARD);
        own.environment().put("JAVA_OPTS", "-Xmx100m");
        Process p = own.start();
        assertThat(p.waitFor(50, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines())
                .as("JAVA_OPTS=-Xmx100m").contains("-Xmx100m").doesNotContain("-Xmx128m", "-XX:+UseSerialGC");
    }

    /**
     * A heap exhausted in any thread ends the job with the JVM's exit status 3 and its line on stderr, at once: before,
     * the thread died alone and a copy waited forever for the table whose page thread it was (a page of 50,000 rows).
     */
    @Test
    void aJobThatRunsOutOfHeapEndsInsteadOfWaitingForever(@TempDir Path dir) throws Exception {
        Path script = install(dir.resolve("app"), OutOfMemoryInAThread.class);
        Process p = launcher(script, dir, "copy").redirectErrorStream(true).start();
        boolean ended = p.waitFor(40, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as("ended within 40 s").isTrue();
        assertThat(p.exitValue()).isEqualTo(3);
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("Terminating due to java.lang.OutOfMemoryError: Java heap space");
    }

    /**
     * The jobs get the JDK's AES-GCM compiled early (bench/RESULTS.md, "AES-GCM in Java at concurrency 64"), and the
     * JVM says nothing about it on stdout, which holds only what the program prints (copy --dry-run > keys.txt): here
     * the JVM's options, one a line.
     */
    @Test
    void theJobsGetTheCryptoCompiledEarlyWithNothingOnStdout(@TempDir Path dir) throws Exception {
        Path script = install(dir.resolve("app"), PrintJvmOptions.class);
        // a file whose name the option would match as a shell pattern, were it expanded
        Files.createFile(dir.resolve("-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.x::y,0.05"));
        for (String job : List.of("copy", "run", "mirror")) {
            List<String> lines = jvmOptions(script, dir, job);
            assertThat(lines).as(job)
                    .contains("-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.*::*,0.0167",
                            "-XX:CompileThresholdScaling=3")
                    .allMatch(l -> l.startsWith("-"), "only JVM options, one a line");
        }
    }

    /**
     * run and mirror get the archive that also holds the management port's classes; the other commands the copy's
     * alone, which keeps those classes' pages out of a copy's memory.
     */
    @Test
    void runAndMirrorGetTheArchiveWithTheManagementClasses(@TempDir Path dir) throws Exception {
        Path script = install(dir.resolve("app"), PrintJvmOptions.class);
        for (String name : List.of("mastodon-s3-sync.jsa", "mastodon-s3-sync-run.jsa")) {
            Path jsa = dir.resolve("app/target/" + name);
            Files.writeString(jsa, "not a class-data archive"); // the JVM warns on stderr and starts without it
            assertThat(jsa.toFile().setLastModified(System.currentTimeMillis() + 60_000)).isTrue();
        }
        String copy = "-XX:SharedArchiveFile=" + dir.resolve("app/target/mastodon-s3-sync.jsa");
        String run = "-XX:SharedArchiveFile=" + dir.resolve("app/target/mastodon-s3-sync-run.jsa");
        for (String job : List.of("run", "mirror")) {
            assertThat(jvmOptions(script, dir, job)).as(job).contains(run).doesNotContain(copy);
        }
        for (String job : List.of("copy", "verify", "repair", "--version")) {
            assertThat(jvmOptions(script, dir, job)).as(job).contains(copy).doesNotContain(run);
        }
    }

    /**
     * The class-data archive beside the jar is used when present; one the JVM cannot use (here not an archive at all,
     * as a foreign JDK's or a moved jar's would be) costs only the head start: the command runs and its stdout holds
     * only its own output (the launcher sends JVM warnings to stderr).
     */
    @Test
    void anArchiveTheJvmCannotUseLeavesStdoutClean(@TempDir Path dir) throws Exception {
        Path script = install(dir.resolve("app"));
        Path jsa = dir.resolve("app/target/mastodon-s3-sync.jsa");
        Files.writeString(jsa, "not a class-data archive");
        assertThat(jsa.toFile().setLastModified(System.currentTimeMillis() + 60_000)).isTrue();
        Process p = launcher(script, dir, "--version").redirectError(dir.resolve("stderr.txt").toFile()).start();
        assertThat(p.waitFor(50, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertThat(p.exitValue()).as(out + err).isZero();
        assertThat(out.lines().toList()).as("stdout, with stderr: " + err).hasSize(1)
                .allMatch(l -> l.startsWith("mastodon-s3-sync "));
    }
}
