package mastodon.s3sync.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The tool in a JVM of its own (tests that kill it, bound its heap, or give it a terminal): the java of this JVM, this
 * test run's class path, and start-up options for a process that lives seconds: the C1 compiler only (on two
 * shared cores the C2 compiler threads of a short run cost more than they give back) and the launcher's serial
 * collector (no GC threads). The heap is the test's.
 *
 * <p>Like the launcher, a child starts from a class-data sharing archive: its classes are read from a memory-mapped
 * archive instead of parsed and verified at every start. Java 17 archives classes from jars only, so the first child
 * of a build packs {@code target/classes} into a jar and dumps the archive from the classes the product loads
 * ({@code src/main/cds/classes.lst}); the class path becomes that jar, then the dependency jars, then the rest
 * (test classes). A build whose archive is not ready yet (another test JVM is writing it) or failed starts its
 * children without one, as before.
 */
public final class ChildJvm {

    public static final String MAIN = "mastodon.s3sync.Application";
    private static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final Path DIR = Path.of("target", "child-cds");

    /** The class path and archive options, once known: empty options when there is no archive. */
    private record Start(String classPath, List<String> share) {
    }

    private static Start start;

    private ChildJvm() {
    }

    /** {@code java HEAP <quick start> -cp <class path> mastodon.s3sync.Application ARGS}. */
    public static List<String> command(String heap, String... args) {
        Start s = start();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(heap);
        cmd.addAll(QUICK_START);
        cmd.addAll(s.share());
        cmd.addAll(List.of("-cp", s.classPath(), MAIN));
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

    private static synchronized Start start() {
        String plain = System.getProperty("java.class.path");
        if (start != null && !start.share().isEmpty()) {
            return start;
        }
        try {
            Start s = withArchive(plain);
            start = s;
            return s != null ? s : new Start(plain, List.of());
        } catch (IOException | RuntimeException e) {
            start = new Start(plain, List.of());
            return start;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Start(plain, List.of());
        }
    }

    /** The archive's start options, making the archive when no test JVM has: null while another one makes it. */
    private static Start withArchive(String plain) throws IOException, InterruptedException {
        List<String> jars = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        Path classes = null;
        for (String entry : plain.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                if (p.getFileName().toString().equals("classes") && classes == null) {
                    classes = p;
                } else {
                    dirs.add(entry);
                }
            } else if (entry.endsWith(".jar")) {
                jars.add(entry);
            } else {
                dirs.add(entry);
            }
        }
        if (classes == null) {
            return new Start(plain, List.of());
        }
        Path classList = Path.of("src", "main", "cds", "classes.lst");
        Path jar = DIR.resolve("classes.jar").toAbsolutePath();
        Path archive = DIR.resolve("child.jsa").toAbsolutePath();
        Path ready = DIR.resolve("ready");
        List<String> prefix = new ArrayList<>();
        prefix.add(jar.toString());
        prefix.addAll(jars);
        String archived = String.join(File.pathSeparator, prefix);
        List<String> all = new ArrayList<>(prefix);
        all.addAll(dirs);
        Start with = new Start(String.join(File.pathSeparator, all),
                List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds=off", "-Xlog:class+path=off"));
        // what the archive was made from: the class path and the build's classes (a jar of an earlier build's
        // classes must never run as this build's)
        String made = archived + "\n" + stamp(classes);
        Files.createDirectories(DIR);
        if (Files.exists(ready) && Files.readString(ready).equals(made)) {
            return with;
        }
        if (!Files.isRegularFile(classList)) {
            return new Start(plain, List.of());
        }
        try (FileChannel ch = FileChannel.open(DIR.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = ch.tryLock()) {
            if (lock == null) {
                return null; // another test JVM is making it: this child starts without
            }
            if (Files.exists(ready) && Files.readString(ready).equals(made)) {
                return with;
            }
            Files.deleteIfExists(ready);
            packClasses(classes, jar);
            Path tmp = DIR.resolve("child.jsa.tmp");
            Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xshare:dump", "-XX:+UseSerialGC", "-Xlog:disable", "-Xlog:cds=error:stderr",
                    "-XX:SharedClassListFile=" + classList.toAbsolutePath(), "-XX:SharedArchiveFile=" + tmp.toAbsolutePath(),
                    "-cp", archived).redirectErrorStream(true).redirectOutput(DIR.resolve("dump.log").toFile()).start();
            if (!dump.waitFor(120, TimeUnit.SECONDS)) {
                dump.destroyForcibly();
                return new Start(plain, List.of());
            }
            if (!Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
                return new Start(plain, List.of());
            }
            Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(ready, made);
            return with;
        }
    }

    /** The number of files under {@code classes}, their total size and the latest change among them. */
    private static String stamp(Path classes) throws IOException {
        long n = 0;
        long size = 0;
        long latest = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                n++;
                size += Files.size(f);
                latest = Math.max(latest, Files.getLastModifiedTime(f).toMillis());
            }
        }
        return n + " " + size + " " + latest;
    }

    /** {@code target/classes} as a jar (the archive takes classes from jars only). */
    private static void packClasses(Path classes, Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
                if (name.isEmpty()) {
                    continue;
                }
                if (Files.isDirectory(f)) {
                    j.putNextEntry(new JarEntry(name + "/"));
                } else {
                    j.putNextEntry(new JarEntry(name));
                    Files.copy(f, j);
                }
                j.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
