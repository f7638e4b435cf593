package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.s3.model.ObjectCannedACL;

/** repair-one's dry-run branch (copy.dry-run=true): an object that needs fixing is counted and nothing is written. */
class RepairDryRunRouteTest extends RepairRouteTestSupport {

    @Override
    boolean dryRun() {
        return true;
    }

    @Override
    void jobOptions(Map<String, String> options) {
        super.jobOptions(options);
        options.put("copy.dry-run", "true");
    }

    @Test
    void anObjectToFixIsCountedAndLeftAsItIs() {
        CopyTask t = task(40, 1400L, null);
        byte[] bytes = put(t, 1400, "binary/octet-stream", null, ObjectCannedACL.PRIVATE);

        repair(t);

        assertThat(accounts().copied.sum()).isEqualTo(1);
        assertThat(accounts().contentTypeRepaired.sum()).isEqualTo(1);
        assertThat(writes()).isZero();
        assertThat(sourceHead(t).contentType()).isEqualTo("binary/octet-stream");
        assertThat(publicRead(t)).isFalse();
        assertThat(sourceBytes(t)).isEqualTo(bytes);
    }
}
