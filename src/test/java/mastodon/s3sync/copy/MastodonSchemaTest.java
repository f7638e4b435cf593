package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** The schema check's judgement, on catalogs built by hand (the end-to-end tests read real ones). */
class MastodonSchemaTest {

    /** Every table the job reads with exactly its required columns, minus the given tables. */
    static Map<String, Set<String>> catalog(String... without) {
        Map<String, Set<String>> c = new TreeMap<>();
        MastodonSchema.REQUIRED.forEach((t, cols) -> c.put(t, new TreeSet<>(cols)));
        for (String t : without) {
            c.remove(t);
        }
        return c;
    }

    static final Set<String> ALL = new LinkedHashSet<>(MastodonKeys.tables());

    @Test
    void aCompleteCatalogPasses() {
        assertThat(new MastodonSchema("20240916190140", catalog()).problem(ALL)).isNull();
    }

    @Test
    void missingImportsIsNoProblemAndLeavesThePass() {
        MastodonSchema s = new MastodonSchema("20260611150940", catalog("imports"));
        assertThat(s.problem(ALL)).isNull();
        assertThat(s.present(ALL)).doesNotContain("imports").contains("media_attachments", "backups").hasSize(7);
        assertThat(s.describe()).contains("schema version 2026_06_11_150940").contains("imports absent");
    }

    @Test
    void eachMissingTableAndColumnIsNamed() {
        Map<String, Set<String>> c = catalog("statuses");
        c.get("accounts").remove("suspended_at");
        c.get("imports").remove("data_file_name");
        String p = new MastodonSchema("20240916190140", c).problem(ALL);
        assertThat(p).contains("schema version 2024_09_16_190140").contains("column accounts.suspended_at")
                .contains("table statuses").contains("column imports.data_file_name").contains("DB_NAME");
    }

    @Test
    void onlyTheSelectedTablesAndWhatTheyJoinAreNeeded() {
        MastodonSchema s = new MastodonSchema("20240916190140", catalog("statuses", "accounts", "media_attachments"));
        assertThat(s.problem(Set.of("backups"))).isNull();
        assertThat(s.problem(Set.of("media_attachments"))).contains("table media_attachments", "table accounts",
                "table statuses");
    }

    @Test
    void theMediaQueryReadsTheVersionColumnsDirectlyOnlyWhereTheyExist() {
        // as 4.3: statuses.deleted_at, no thumbnail schema version; the route's JSON default stays for that one
        Map<String, Set<String>> c = catalog();
        c.get("statuses").add("deleted_at");
        assertThat(new MastodonSchema("20240916190140", c).mediaQueryColumns())
                .containsExactly(Map.entry("copy.media-status-removed", "s.deleted_at IS NOT NULL"));
        // as 4.6: both
        c.get("media_attachments").add("thumbnail_storage_schema_version");
        assertThat(new MastodonSchema("20260611150940", c).mediaQueryColumns()).containsExactly(
                Map.entry("copy.media-thumbnail-version", "m.thumbnail_storage_schema_version"),
                Map.entry("copy.media-status-removed", "s.deleted_at IS NOT NULL"));
        // as before 3.5: neither
        assertThat(new MastodonSchema("20210101000000", catalog()).mediaQueryColumns()).isEmpty();
    }

    @Test
    void theMediaQuerysVersionColumnsArePlaceholdersWithAJsonDefault() throws Exception {
        String routes = java.nio.file.Files.readString(java.nio.file.Path.of("routes/copy.camel.yaml"));
        assertThat(routes).contains("{{copy.media-thumbnail-version:(to_jsonb(m) ->> "
                + "'thumbnail_storage_schema_version')::int}}", "{{copy.media-status-removed:(to_jsonb(s) ->> "
                + "'deleted_at') IS NOT NULL}}");
    }

    @Test
    void noSchemaMigrationsIsNotMastodon() {
        String p = new MastodonSchema(null, catalog()).problem(Set.of("backups"));
        assertThat(p).contains("no schema_migrations table").contains("lacks table schema_migrations");
    }

    @Test
    void requiredColumnsAreWhatThePageQueriesRead() throws Exception {
        String routes = java.nio.file.Files.readString(java.nio.file.Path.of("routes/copy.camel.yaml"));
        for (Map.Entry<String, List<String>> e : MastodonSchema.REQUIRED.entrySet()) {
            for (String column : e.getValue()) {
                assertThat(routes).as(e.getKey() + "." + column).containsPattern("\\b" + column + "\\b");
            }
        }
    }
}
