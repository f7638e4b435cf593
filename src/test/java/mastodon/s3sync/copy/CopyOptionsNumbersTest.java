package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** CopyOptions' own number check names the property, never an option that does not exist. */
class CopyOptionsNumbersTest {

    @Test
    void aBadPageSizeIsNamedByItsKeyNotByAnOption() {
        assertThatThrownBy(() -> CopyOptions.from(Map.of("copy.page-size", "-5")::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("copy.page-size must be a whole number >= 0, not '-5'.")
                .hasMessageContaining("Fix:").hasMessageContaining("COPY_PAGE_SIZE")
                .hasMessageNotContaining("--page-size");
    }

    @Test
    void goodNumbersAndBlanksAreRead() {
        CopyOptions o = CopyOptions.from(Map.of("copy.page-size", " 250 ", "copy.limit", "", "copy.offset", "3")::get);
        assertThat(o.pageSize()).isEqualTo(250);
        assertThat(o.limit()).isZero();
        assertThat(o.offset()).isEqualTo(3);
    }
}
