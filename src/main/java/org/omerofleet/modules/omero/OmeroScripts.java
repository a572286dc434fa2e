package org.omerofleet.modules.omero;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.omero.ReleaseVersion;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Find local changes to the server scripts in {@code lib/scripts} of the old install ({@code from}) and
 * report them; with {@code carry: true}, copy the added and modified files into the new install
 * ({@code to}) where the new release does not have a file of that name already (those are listed as
 * conflicts to merge by hand, never overwritten).
 *
 * <p>With {@code pristine} (a release zip on the controller: the installed release as it was shipped)
 * the installed scripts are compared with that zip's {@code lib/scripts} by SHA-256: files the zip lacks
 * are added, files whose content differs are modified ({@code *.pyc} and {@code __pycache__} are
 * ignored). Release zips have no {@code .git}, so this is how an unpacked install is compared. When the
 * named zip is missing, the scripts of {@code release} (the installed release, e.g. {@code 5.4.10} or its
 * distribution name) come from the manifest the tool ships, which covers {@code lib/scripts/omero} of
 * 4.4.0 to 5.6.1; when neither is there, nothing is compared and the result says so. Without
 * {@code pristine} and {@code release},
 * a {@code lib/scripts} that is a git checkout is compared with {@code git status}.
 */
public final class OmeroScripts implements Module {

    @Override
    public String name() {
        return "omero_scripts";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("from", "to", "carry", "pristine", "release");
    }

    @Override
    public Set<String> required() {
        return Set.of("from");
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
        String from = OmeroShell.q(args.string("from") + "/lib/scripts");
        Map<String, Object> data = new LinkedHashMap<>();
        List<String> changed;
        Optional<PristineScripts.Shipped> shipped;
        try {
            shipped = shipped(context, args);
        } catch (IOException e) {
            return new TaskResult.Failed("omero_scripts: cannot read " + args.string("pristine") + ": " + e.getMessage());
        }
        boolean compareWithRelease = args.has("pristine") && !args.string("pristine").isBlank() || args.has("release");
        if (compareWithRelease && shipped.isEmpty()) {
            String note = "no pristine copy of the installed release at " + context.baseDir().resolve(args.string("pristine", ""))
                    + " (put its zip beside the new one), and the tool's manifest does not know release " + args.string("release", "?")
                    + ": lib/scripts not compared";
            data.put("local_changes", List.of());
            return new TaskResult.Ok(false, note, data, Map.of("scripts_note", note));
        }
        if (shipped.isPresent()) {
            CommandResult sums = context.connection().exec(ExecRequest.shell("cd -- " + from + " 2>/dev/null || exit 0; "
                    + "find . -type f ! -name '*.pyc' ! -path '*/__pycache__/*' -exec sha256sum -- {} +"));
            if (!sums.succeeded()) {
                return new TaskResult.Failed("omero_scripts: cannot checksum lib/scripts: " + sums.stderr().strip());
            }
            PristineScripts.Diff diff = PristineScripts.compare(shipped.get(), sums.stdout());
            data.put("compared_with", shipped.get().source());
            data.put("added", diff.added());
            data.put("modified", diff.modified());
            changed = diff.all();
        } else {
            CommandResult status = context.connection().exec(ExecRequest.shell("[ -d " + from + "/.git ] || [ -f " + from + "/.git ] || { echo nogit; exit 0; }; "
                    + "git -C " + from + " status --porcelain -z --untracked-files=all"));
            if (!status.succeeded()) {
                return new TaskResult.Failed("omero_scripts: git status failed: " + status.stderr().strip());
            }
            if (status.stdout().strip().equals("nogit")) {
                data.put("local_changes", List.of());
                return new TaskResult.Ok(false, "lib/scripts is not a git checkout and no pristine release zip was given; nothing to compare", data);
            }
            changed = changedFiles(status.stdout());
        }
        data.put("local_changes", changed);
        Map<String, Object> report = new LinkedHashMap<>();
        if (data.containsKey("added")) {
            report.put("scripts_added", data.get("added"));
            report.put("scripts_modified", data.get("modified"));
        }
        if (changed.isEmpty() || !args.bool("carry", false)) {
            return new TaskResult.Ok(false, changed.isEmpty() ? "" : "local changes in lib/scripts: " + changed, data, report);
        }
        if (!args.has("to")) {
            return new TaskResult.Failed("omero_scripts: carry needs 'to', the new install");
        }
        if (context.checkMode()) {
            return new TaskResult.Ok(true, "would carry " + changed.size() + " script(s) over", data, report);
        }
        return carry(context, args, changed, data, report);
    }

    /** The installed release's zip when it is there, else the shipped manifest's entry for {@code release}. */
    private static Optional<PristineScripts.Shipped> shipped(TaskContext context, Args args) throws IOException {
        if (args.has("pristine") && !args.string("pristine").isBlank()) {
            Path zip = context.baseDir().resolve(args.string("pristine"));
            if (Files.isRegularFile(zip)) {
                return Optional.of(PristineScripts.fromZip(zip));
            }
        }
        if (!args.has("release")) {
            return Optional.empty();
        }
        return ReleaseVersion.parse(args.string("release")).flatMap(r -> PristineScripts.fromManifest(r.version()));
    }

    private static TaskResult carry(TaskContext context, Args args, List<String> changed, Map<String, Object> data, Map<String, Object> report)
            throws TransportException {
        String from = OmeroShell.q(args.string("from") + "/lib/scripts");
        String to = OmeroShell.q(args.string("to") + "/lib/scripts");
        StringBuilder script = new StringBuilder("set -e; ");
        for (String file : changed) {
            String f = OmeroShell.q(file);
            script.append("if [ -e ").append(to).append('/').append(f).append(" ]; then echo \"conflict=\"").append(f)
                    .append("; else mkdir -p -- \"$(dirname -- ").append(to).append('/').append(f).append(")\"; cp -p -- ")
                    .append(from).append('/').append(f).append(' ').append(to).append('/').append(f).append("; echo \"carried=\"").append(f).append("; fi; ");
        }
        CommandResult copy = context.connection().exec(ExecRequest.shell(script.toString()));
        if (!copy.succeeded()) {
            return new TaskResult.Failed(true, "omero_scripts: " + copy.stderr().strip(), data, Map.of());
        }
        List<String> carried = copy.stdout().lines().filter(l -> l.startsWith("carried=")).map(l -> l.substring(8)).toList();
        List<String> conflicts = copy.stdout().lines().filter(l -> l.startsWith("conflict=")).map(l -> l.substring(9)).toList();
        data.put("carried", carried);
        data.put("conflicts", conflicts);
        report.put("scripts_carried", carried);
        report.put("scripts_conflicts", conflicts);
        return new TaskResult.Ok(true, "carried " + carried + (conflicts.isEmpty() ? "" : "; the new release has its own " + conflicts
                + ": merge those by hand"), data, report);
    }

    /**
     * {@return the added or modified paths in {@code git status --porcelain -z} output} NUL-separated
     * records are never quoted; a rename or copy record is followed by its old path, which is skipped.
     */
    static List<String> changedFiles(String porcelainZ) {
        List<String> files = new java.util.ArrayList<>();
        String[] records = porcelainZ.split("\0");
        for (int i = 0; i < records.length; i++) {
            String r = records[i];
            if (r.length() < 4) {
                continue;
            }
            char index = r.charAt(0);
            char tree = r.charAt(1);
            if (index == 'R' || index == 'C') {
                i++; // the old path
            }
            if (index != 'D' && tree != 'D') {
                files.add(r.substring(3));
            }
        }
        return List.copyOf(files);
    }
}
