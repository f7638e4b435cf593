package mastodon.s3sync.copy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import mastodon.s3sync.copy.Problems.Kind;

/**
 * The JSON report of a pass (state/MODE-report.json, or copy.report-file): per table the outcomes, bytes, rows, the
 * ids covered and the checkpoint; then every problem by kind. Written whole to a temporary file, then renamed.
 */
record CopyReport(CopyPass pass, CopyOutcomes outcomes) {

    /** The report's content. @param stoppedBecause why the pass stopped before its end, or null */
    Map<String, Object> content(String stoppedBecause) {
        CopyOptions options = pass.options();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", options.mode());
        r.put("dryRun", options.dryRun());
        r.put("started", pass.started().toString());
        r.put("finished", Instant.now().toString());
        if (stoppedBecause != null) {
            r.put("stoppedBecause", stoppedBecause);
        }
        Map<String, Object> perTable = new LinkedHashMap<>();
        for (TableProgress t : pass.tables().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            outcomes.names().forEach(o -> m.put(o, CopyOutcomes.count(t, o)));
            m.put("bytes", t.bytes.sum());
            if (options.repair()) {
                m.putAll(t.repairCounters());
            } else if (!options.verify()) {
                m.put("contentTypeRepaired", t.contentTypeRepaired.sum());
            }
            m.put("rows", t.rowsPlanned());
            m.put("startedAfterId", t.startedAfter());
            m.put("lastId", t.lastPlanned());
            m.put("checkpoint", t.watermark());
            perTable.put(t.table, m);
        }
        r.put("tables", perTable);
        r.put("missing_at_source", pass.problems().of(Kind.MISSING_AT_SOURCE));
        if (options.verify()) {
            r.put("missing_in_target", pass.problems().of(Kind.MISSING_IN_TARGET));
            r.put("different", pass.problems().of(Kind.DIFFERENT));
        }
        r.put("failed", pass.problems().of(Kind.FAILED));
        return r;
    }

    /** Writes the report to options.reportFile(). */
    void write(String stoppedBecause) {
        Path file = pass.options().reportFile();
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = parent.resolve(file.getFileName() + ".tmp");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(),
                    content(stoppedBecause));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file + ": " + e.getMessage(), e);
        }
    }
}
