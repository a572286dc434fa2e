package org.omerofleet.modules.omero;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Run the release's precheck script ({@code sql/psql/<target>/<source>-precheck.sql}, as the guide
 * asks before a 5.x upgrade) against the live database while the server still runs, before anything
 * is stopped. The script is read from the release zip on the controller and fed to the host's
 * {@code psql} on standard input, so the release need not be unpacked yet. It runs read-only: a
 * script holding {@code COMMIT} is refused, psql runs with {@code AUTOCOMMIT off} (every statement inside a
 * transaction that is never committed) and the script ends in its own {@code ROLLBACK}. It passes
 * only with exit 0 and its {@code READY FOR UPGRADE} line. {@code precheck} empty: nothing to run.
 */
public final class OmeroPrecheck implements Module {

    private static final String READY = "YOUR DATABASE IS READY FOR UPGRADE";

    @Override
    public String name() {
        return "omero_precheck";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("release", "server_dir", "precheck");
    }

    @Override
    public Set<String> required() {
        return Set.of("release", "server_dir");
    }

    @Override
    public boolean supportsCheckMode() {
        return true;
    }

    @Override
    public boolean safeToRepeat() {
        return true;
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        String precheck = args.string("precheck", "").strip();
        if (precheck.isEmpty()) {
            return new TaskResult.Ok(false, "no precheck script for this upgrade");
        }
        Path zip = context.baseDir().resolve(args.string("release"));
        String sql;
        try {
            sql = read(zip, OmeroPlan.ReleaseZip.read(zip).topDirectory() + "/" + precheck);
        } catch (IOException e) {
            return new TaskResult.Failed("omero_precheck: cannot read " + precheck + " from " + zip + ": " + e.getMessage());
        }
        String upper = sql.replaceAll("--[^\n]*", "").toUpperCase(Locale.ROOT);
        if (upper.matches("(?s).*\\bCOMMIT\\b.*") || !upper.contains("ROLLBACK")) {
            return failed(precheck, "it does not end in ROLLBACK without a COMMIT, so it is not run against the live database", "");
        }
        String script = OmeroShell.cd(args.string("server_dir")) + OmeroShell.DB_ENV
                + "psql -X -w -q -v ON_ERROR_STOP=1 -v AUTOCOMMIT=off -A -t -f - 2>&1";
        CommandResult r = context.connection().exec(new ExecRequest(script, sql.getBytes(StandardCharsets.UTF_8),
                ExecRequest.DEFAULT_TIMEOUT, ExecRequest.DEFAULT_CAPTURE_LIMIT));
        String output = (r.stdout() + r.stderr()).strip();
        if (!r.succeeded() || !output.contains(READY)) {
            return failed(precheck, "rc " + r.rc() + ": " + PgBackup.lastLine(output.isEmpty() ? "(no output)" : errorLine(output)), output);
        }
        String ready = output.lines().filter(l -> l.contains(READY)).findFirst().orElse(READY).strip();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("output", output);
        return new TaskResult.Ok(false, precheck + ": " + ready, data, Map.of("precheck", precheck + ": " + ready));
    }

    private static TaskResult failed(String precheck, String why, String output) {
        String message = "precheck " + precheck + " did not pass: " + why;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("output", output);
        return new TaskResult.Failed(false, message, data, Map.of("precheck_blocker", message));
    }

    /** {@return the first {@code ERROR:} line, where psql put one, else the whole output} */
    private static String errorLine(String output) {
        return output.lines().filter(l -> l.contains("ERROR:")).findFirst().orElse(output);
    }

    private static String read(Path zip, String entryName) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            ZipEntry entry = file.getEntry(entryName);
            if (entry == null) {
                throw new IOException("no such entry");
            }
            try (InputStream in = file.getInputStream(entry)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
