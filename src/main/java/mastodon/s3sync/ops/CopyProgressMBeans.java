package mastodon.s3sync.ops;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import mastodon.s3sync.copy.CopyJob;
import mastodon.s3sync.copy.TableProgress;

/**
 * The copy job's progress per table as JMX MBeans, for Hawtio's JMX tree next to Camel's:
 * {@code mastodon.s3sync:type=CopyProgress,table=media_attachments} and so on (the same numbers as the
 * {@code mastodon_copy_*} metrics).
 */
public final class CopyProgressMBeans {

    /** What Hawtio shows for one table. */
    public interface TableProgressMXBean {
        long getCopied();

        long getSkipped();

        long getMissing();

        long getFailed();

        long getBytes();

        long getRowsDone();

        /** -1 while unknown. */
        long getRowsExpected();

        /** The last id such that every row up to it is done: where a restart continues. */
        long getCheckpoint();

        /** Rows with an object still being copied. */
        int getRowsInFlight();
    }

    private record View(TableProgress t) implements TableProgressMXBean {
        public long getCopied() {
            return t.copied.sum();
        }

        public long getSkipped() {
            return t.skipped.sum();
        }

        public long getMissing() {
            return t.missing.sum();
        }

        public long getFailed() {
            return t.failed.sum();
        }

        public long getBytes() {
            return t.bytes.sum();
        }

        public long getRowsDone() {
            return t.rowsDone();
        }

        public long getRowsExpected() {
            return t.total();
        }

        public long getCheckpoint() {
            return t.watermark();
        }

        public int getRowsInFlight() {
            return t.inFlightRows();
        }
    }

    private final List<ObjectName> registered = new ArrayList<>();

    /** Registers one MBean per table of the job, replacing those of an earlier job in this JVM. */
    public void register(CopyJob job) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (TableProgress t : job.tables().values()) {
            ObjectName name = ObjectName.getInstance("mastodon.s3sync:type=CopyProgress,table=" + t.table);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new View(t), name);
            registered.add(name);
        }
    }

    public void unregister() {
        if (registered.isEmpty()) {
            return; // a one-pass command without management registered none: no MBean server to start at its end
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName n : registered) {
            try {
                if (server.isRegistered(n)) {
                    server.unregisterMBean(n);
                }
            } catch (JMException e) {
                // already gone
            }
        }
        registered.clear();
    }
}
