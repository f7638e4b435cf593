package mastodon.s3sync.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file of Jolokia's users (HTTP Basic, Vert.x's property-file format: {@code user.NAME = PASSWORD} lines). Created
 * on first start with a random password for the user {@code hawtio}, readable and writable by the running user only;
 * an existing file (the admin's own password) is used as it is, provided no other user can read it.
 */
public final class JolokiaUsers {

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.ops");
    public static final String USER = "hawtio";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private JolokiaUsers() {
    }

    /**
     * Makes sure {@code file} exists, holds at least one user and is private to the running user.
     *
     * @return null when Jolokia can use it, else the problem and its fix
     */
    public static String prepare(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
                LOG.info("Jolokia (Hawtio) credentials created in {}: user {}, the password is in the file", file, USER);
                return null;
            }
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                return "the Jolokia users file " + file + " (management.jolokia-users-file) cannot be read. Fix: make "
                        + "it a file the running user can read, or delete it to have a new password generated.";
            }
            Set<PosixFilePermission> perms = permissions(file);
            if (perms != null && perms.stream().anyMatch(p -> !OWNER_ONLY.contains(p))) {
                return "the Jolokia users file " + file + " (management.jolokia-users-file) is open to other users ("
                        + PosixFilePermissions.toString(perms) + "): anyone who reads it can stop routes. Fix: chmod 600 "
                        + file;
            }
            boolean hasUser = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .anyMatch(l -> l.startsWith("user.") && l.indexOf('=') > 5 && l.substring(l.indexOf('=') + 1).strip()
                            .length() > 0);
            if (!hasUser) {
                return "the Jolokia users file " + file + " (management.jolokia-users-file) has no 'user.NAME = PASSWORD'"
                        + " line. Fix: add one (e.g. user.hawtio = a-long-random-password), or delete the file to have "
                        + "one generated.";
            }
            LOG.info("Jolokia (Hawtio) credentials: {}", file);
            return null;
        } catch (IOException e) {
            return "cannot create the Jolokia users file " + file + " (management.jolokia-users-file): " + e
                    + ". Fix: point MANAGEMENT_JOLOKIA_USERS_FILE to a writable place.";
        }
    }

    private static void create(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String text = "# Jolokia (Hawtio) users of mastodon-s3-sync: user.NAME = PASSWORD. Generated on first start;\n"
                + "# change the password here (and restart) if you like. Keep this file private (chmod 600).\n"
                + "user." + USER + " = " + password + "\n";
        try {
            if (permissions(file.getParent() == null ? Path.of(".") : file.getParent()) != null) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            return; // another command created it meanwhile
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static Set<PosixFilePermission> permissions(Path p) throws IOException {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }
}
