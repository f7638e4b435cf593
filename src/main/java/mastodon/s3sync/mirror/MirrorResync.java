package mastodon.s3sync.mirror;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code mirror --resync}: lists each mapped prefix of the bucket and plans a download for every object that is
 * missing locally or has another size; with {@code --delete}, then removes the local files under the mapped
 * directories that no listed object maps to. Recovers from lost events (lifecycle expirations send none).
 *
 * <p>A key listed under a prefix but mapped to a longer one belongs to that longer mapping only. Leftover temporary
 * files of interrupted writes ({@code .NAME.mirror-part}) are removed.
 */
public final class MirrorResync {

    /** The suffix of the temporary files the mirror writes before renaming them (see mirror.camel.yaml). */
    public static final String TEMP_SUFFIX = ".mirror-part";

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.mirror");

    private final S3Client s3;
    private final String bucket;
    private final PrefixMapping mapping;
    private final AtomicLong downloaded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final boolean delete;
    private final Set<Path> expected = new HashSet<>();
    private volatile boolean listed;
    private long objects;

    public MirrorResync(S3Client s3, String bucket, PrefixMapping mapping, boolean delete) {
        this.s3 = s3;
        this.bucket = bucket;
        this.mapping = mapping;
        this.delete = delete;
    }

    /** The downloads to do, computed lazily while the listing pages in. */
    public Iterator<MirrorAction> plan() {
        LOG.info("mirror: resync of bucket '{}' started ({} mapping(s){})", bucket, mapping.entries().size(),
                delete ? ", deleting local files absent from the bucket" : "");
        return new Iterator<>() {
            private final Iterator<PrefixMapping.Entry> entries = mapping.entries().iterator();
            private PrefixMapping.Entry entry;
            private Iterator<S3Object> page = List.<S3Object>of().iterator();
            private MirrorAction next;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    if (page.hasNext()) {
                        next = consider(entry, page.next());
                    } else if (entries.hasNext()) {
                        entry = entries.next();
                        PrefixMapping.Entry e = entry;
                        page = s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(e.prefix())).contents().iterator();
                    } else {
                        listed = true;
                        return false;
                    }
                }
                return true;
            }

            @Override
            public MirrorAction next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                MirrorAction a = next;
                next = null;
                return a;
            }
        };
    }

    /** @return a download (MAPPED) when the object is missing or differs in size locally, REJECTED, or null */
    private MirrorAction consider(PrefixMapping.Entry entry, S3Object o) {
        PrefixMapping.Resolution r = mapping.resolve(o.key());
        if (r.status() == PrefixMapping.Status.FOLDER || r.entry() == null || !r.entry().equals(entry)) {
            return null; // placeholder, or belongs to a longer prefix (listed on its own)
        }
        synchronized (this) {
            objects++;
        }
        String problem = r.status() == PrefixMapping.Status.REJECTED ? r.reason()
                : Mirror.linkOnPath(r.entry().directory(), r.file());
        S3Event e = new S3Event("Resync", bucket, o.key(), o.size(), o.eTag(), null, null, null);
        if (problem != null) {
            return MirrorAction.refused(MirrorAction.Placement.REJECTED, e, problem);
        }
        synchronized (expected) {
            expected.add(r.file());
        }
        long local = -1;
        try {
            if (Files.isRegularFile(r.file(), LinkOption.NOFOLLOW_LINKS)) {
                local = Files.size(r.file());
            }
        } catch (IOException notReadable) {
            local = -1;
        }
        if (local == o.size()) {
            return null;
        }
        return new MirrorAction(MirrorAction.Placement.MAPPED, e, r.entry().directory(), r.relativePath(), r.file(), null);
    }

    /** One download of the resync is done. */
    public void downloaded(MirrorAction a) {
        downloaded.incrementAndGet();
    }

    /**
     * After the downloads: deletes orphans (with --delete) and leftovers, and logs the outcome.
     *
     * @return how many local files were deleted (not in the bucket)
     */
    public long finish() throws IOException {
        if (!listed) {
            throw new IllegalStateException("the bucket listing did not complete; nothing deleted");
        }
        long deleted = 0;
        for (PrefixMapping.Entry e : mapping.entries()) {
            if (!Files.isDirectory(e.directory())) {
                continue;
            }
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.walk(e.directory())) {
                s.filter(Files::isRegularFile).forEach(files::add);
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                boolean leftover = name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
                boolean orphan;
                synchronized (expected) {
                    orphan = !expected.contains(f);
                }
                if (leftover || (delete && orphan)) {
                    if (Files.deleteIfExists(f)) {
                        Mirror.pruneEmptyParents(f, e.directory());
                        if (!leftover) {
                            deleted++;
                            LOG.info("mirror: resync deleted {} (not in the bucket)", Mirror.safe(f.toString()));
                        }
                    }
                }
            }
        }
        LOG.info("mirror: resync done: {} object(s) listed, {} downloaded, {} failed, {} local file(s) deleted",
                objects, downloaded.get(), failed.get(), deleted);
        return deleted;
    }

    /** One download of the resync failed: counted for the summary (the route logs it), the resync goes on. */
    public void failed(MirrorAction a) {
        failed.incrementAndGet();
    }
}
