package mastodon.s3sync.mirror;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The rule of the original tool: a set of {@code key prefix -> local directory}. For a key, the mapping with the
 * LONGEST matching prefix wins; the prefix is stripped and the rest of the key is the path under that directory.
 *
 * <p>The rest of the key must stay inside the directory: a key with a {@code ..} or {@code .} segment, an empty
 * segment (which includes a rest that starts with {@code /}, an absolute path), or a NUL character is refused. Keys
 * arrive here already decoded, so an encoded {@code %2E%2E%2F} is refused like a plain {@code ../}. A backslash is
 * refused too: Camel's file writer turns it into a slash, so {@code ..\x} would become {@code ../x}; and so is
 * {@code ${} anywhere in the key, which Camel's S3 component would evaluate as a Simple expression. So is a name no
 * filesystem can hold: a file name longer than {@value #MAX_NAME_BYTES} bytes (255, the usual limit, minus the 13 the
 * temporary name adds), a directory name longer than 255 bytes, or a path longer than 4,095 bytes.
 *
 * <p>Keys are compared and written byte for byte: two keys that differ only in their Unicode normalisation
 * ({@code café} as NFC and as NFD) are two keys and two files, as they are two objects in the bucket.
 */
public final class PrefixMapping {

    /** The longest file name the mirror writes: 255 bytes minus the 13 of its temporary name ({@code .NAME.mirror-part}). */
    public static final int MAX_NAME_BYTES = 242;
    private static final int MAX_SEGMENT_BYTES = 255;
    private static final int MAX_PATH_BYTES = 4095;

    /** One {@code prefix -> directory} entry. */
    public record Entry(String prefix, Path directory) {
    }

    /** Where a key goes. */
    public enum Status {
        /** the key maps to {@link Resolution#file()} */
        MAPPED,
        /** no prefix matches */
        UNMAPPED,
        /** a folder placeholder (key ends with "/"): nothing to write */
        FOLDER,
        /** the key would leave its directory, or is not a usable file name: refused */
        REJECTED
    }

    /** The outcome of {@link #resolve(String)}: for MAPPED the entry, the relative path and the file. */
    public record Resolution(Status status, String key, Entry entry, String relativePath, Path file, String reason) {
        public boolean mapped() {
            return status == Status.MAPPED;
        }
    }

    private final List<Entry> entries;

    /** @param mapping prefix -> directory; directories must be absolute */
    public PrefixMapping(Map<String, Path> mapping) {
        List<Entry> list = new ArrayList<>();
        mapping.forEach((prefix, dir) -> {
            if (!dir.isAbsolute()) {
                throw new IllegalArgumentException("directory '" + dir + "' of prefix '" + prefix
                        + "' is not an absolute path");
            }
            list.add(new Entry(prefix, dir.normalize()));
        });
        // longest prefix first: the first match is the best one
        list.sort(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed()
                .thenComparing(Entry::prefix));
        this.entries = List.copyOf(list);
    }

    /** Longest prefix first. */
    public List<Entry> entries() {
        return entries;
    }

    /** The entry with the longest prefix of {@code key}, or null. */
    public Entry entryFor(String key) {
        for (Entry e : entries) {
            if (key.startsWith(e.prefix())) {
                return e;
            }
        }
        return null;
    }

    public Resolution resolve(String key) {
        if (key == null || key.isEmpty()) {
            return new Resolution(Status.REJECTED, key, null, null, null, "empty key");
        }
        if (key.indexOf('\0') >= 0) {
            return new Resolution(Status.REJECTED, key, null, null, null, "NUL character in key");
        }
        if (key.contains("${") || key.contains("$simple{")) {
            // camel-aws2-s3 evaluates a key header holding "${" as a Simple expression (AWS2S3Utils.determineKey)
            return new Resolution(Status.REJECTED, key, null, null, null, "'${' in the key (Camel's S3 component "
                    + "would evaluate it as an expression)");
        }
        Entry e = entryFor(key);
        if (key.endsWith("/")) {
            return new Resolution(Status.FOLDER, key, e, null, null, "folder placeholder");
        }
        if (e == null) {
            return new Resolution(Status.UNMAPPED, key, null, null, null, "no mapping has a prefix of this key");
        }
        String rest = key.substring(e.prefix().length());
        String problem = unsafe(rest);
        if (problem != null) {
            return new Resolution(Status.REJECTED, key, e, rest, null, problem);
        }
        Path file = e.directory().resolve(rest).normalize();
        if (!file.startsWith(e.directory()) || file.equals(e.directory())) {
            return new Resolution(Status.REJECTED, key, e, rest, null, "path leaves directory " + e.directory());
        }
        int pathBytes = file.toString().getBytes(StandardCharsets.UTF_8).length;
        if (pathBytes > MAX_PATH_BYTES) {
            return new Resolution(Status.REJECTED, key, e, rest, null, "path of " + pathBytes + " bytes, longer than "
                    + MAX_PATH_BYTES);
        }
        return new Resolution(Status.MAPPED, key, e, rest, file, null);
    }

    /** @return why this relative path cannot be a file under the directory, or null when it can */
    static String unsafe(String rest) {
        if (rest.isEmpty()) {
            return "nothing left of the key after its prefix";
        }
        if (rest.indexOf('\\') >= 0) {
            return "backslash in the key (the file writer would take it for a path separator)";
        }
        String[] segments = rest.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty()) {
                return rest.startsWith("/") ? "absolute path after the prefix" : "empty path segment (//)";
            }
            if (segment.equals("..")) {
                return "'..' segment";
            }
            if (segment.equals(".")) {
                return "'.' segment";
            }
            int bytes = segment.getBytes(StandardCharsets.UTF_8).length;
            int max = i == segments.length - 1 ? MAX_NAME_BYTES : MAX_SEGMENT_BYTES;
            if (bytes > max) {
                return (i == segments.length - 1 ? "file" : "directory") + " name of " + bytes
                        + " bytes, longer than " + max;
            }
        }
        return null;
    }

    /** The key a file under {@code entry}'s directory stands for (the inverse of {@link #resolve}). */
    public static String keyOf(Entry entry, Path file) {
        Path rel = entry.directory().relativize(file);
        StringBuilder sb = new StringBuilder(entry.prefix());
        for (int i = 0; i < rel.getNameCount(); i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(rel.getName(i));
        }
        return sb.toString();
    }
}
