package mastodon.s3sync.db;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.component.sql.DefaultRowMapperFactory;
import org.springframework.jdbc.core.RowMapper;

/**
 * How the page queries' rows become maps (the {@code rowMapperFactory} of their {@code sql:} endpoints): a plain
 * {@link HashMap} by lower-case column label, the labels read once per result set. camel-sql's default (Spring's
 * {@code ColumnMapRowMapper}) builds a case-insensitive map per row, lower-casing every label on each put and each
 * look-up: in a 1,000,000-row dry run that was about a quarter of the page threads' samples (bench/RESULTS.md).
 * The page queries name their columns in lower case, as Mastodon's schema does, and the key rules look them up so.
 */
public class PageRows extends DefaultRowMapperFactory {

    @Override
    public RowMapper<?> newColumnRowMapper() {
        return new Mapper();
    }

    /** Maps the rows of one query; the labels of the result set it last saw are kept. */
    static final class Mapper implements RowMapper<Map<String, Object>> {

        private ResultSet labelled;
        private String[] labels;

        @Override
        public Map<String, Object> mapRow(ResultSet rs, int rowNum) throws SQLException {
            if (rs != labelled) {
                ResultSetMetaData meta = rs.getMetaData();
                String[] read = new String[meta.getColumnCount()];
                for (int i = 0; i < read.length; i++) {
                    read[i] = meta.getColumnLabel(i + 1).toLowerCase(Locale.ROOT);
                }
                labels = read;
                labelled = rs;
            }
            Map<String, Object> row = new HashMap<>(labels.length * 2);
            for (int i = 0; i < labels.length; i++) {
                row.put(labels[i], rs.getObject(i + 1));
            }
            return row;
        }
    }
}
