package org.omerofleet.modules.omero;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.omero.HostFacts;
import org.omerofleet.omero.Prerequisites;
import org.omerofleet.omero.ReleaseVersion;
import org.omerofleet.omero.SchemaVersion;
import org.omerofleet.omero.UpgradePlan;
import org.omerofleet.omero.UpgradePlanner;
import org.omerofleet.omero.UpgradeScripts;
import org.omerofleet.omero.VenvPlan;
import org.omerofleet.omero.WebMount;
import org.omerofleet.result.TaskResult;

/**
 * Decide, on the controller, what upgrading this host to a release zip means: the facts come from a
 * previous {@code omero_facts} task (variable {@code omero}), the upgrade scripts from the zip itself,
 * so nothing is sent to the host. Besides the schema path and free space it checks the host's Ice against the
 * release's ice tag, Java against the release's minimum and PostgreSQL against what the scripts to run assert
 * ({@link Prerequisites}); what the facts do not say is a warning, not a guess. A blocker fails the task before anything changed; the registered
 * result tells later tasks whether the host is up to date and whether the database needs upgrading.
 */
public final class OmeroPlan implements Module {

    private final UpgradePlanner planner = new UpgradePlanner();

    @Override
    public String name() {
        return "omero_plan";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("release");
    }

    @Override
    public Set<String> required() {
        return Set.of("release");
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
    public boolean needsConnection() {
        return false;
    }

    @Override
    public TaskResult run(TaskContext context, Args args) {
        Path zip = context.baseDir().resolve(args.string("release"));
        if (!Files.isRegularFile(zip)) {
            return new TaskResult.Failed("omero_plan: no release zip at " + zip);
        }
        ReleaseZip release = ReleaseZip.read(zip);
        Object facts = context.vars().get("omero");
        if (!(facts instanceof Map)) {
            return new TaskResult.Failed("omero_plan: run omero_facts first (no 'omero' facts for this host)");
        }
        Map<?, ?> f = (Map<?, ?>) facts;
        for (String key : new String[] {"db_size", "backup_free", "install_free"}) {
            if (longOf(f.get(key)) < 0) {
                return new TaskResult.Failed("omero_plan: the host's " + key.replace('_', ' ') + " could not be read"
                        + (f.containsKey("warning") ? " (" + f.get("warning") + ")" : ""));
            }
        }
        HostFacts host = new HostFacts(ReleaseVersion.parse(String.valueOf(f.get("release"))),
                SchemaVersion.parse(String.valueOf(f.get("schema"))), Boolean.TRUE.equals(f.get("server_running")),
                longOf(f.get("db_size")), longOf(f.get("backup_free")), longOf(f.get("install_free")));
        UpgradePlan plan = planner.plan(host, release.version(), release.scripts());
        List<String> blockers = new ArrayList<>(plan.blockers());
        List<String> warnings = new ArrayList<>(plan.warnings());
        if (!plan.upToDate()) {
            Prerequisites prerequisites = Prerequisites.check(release.version(), ReleaseZip.texts(zip, release, plan),
                    new Prerequisites.HostVersions(text(f.get("ice")), text(f.get("java")), text(f.get("pg_server"))));
            blockers.addAll(prerequisites.blockers());
            warnings.addAll(prerequisites.notes());
        }
        Map<String, Object> data = describe(plan, release);
        List<String> notes = new ArrayList<>(plan.upToDate() ? List.of() : plan.currentRelease()
                .flatMap(current -> WebMount.note(current, release.version(), text(context.vars().get("omero_web_server")))).stream().toList());
        VenvPlan venv = plan.upToDate() ? VenvPlan.none() : venvPlan(plan, f, context.vars());
        venv.blocker().ifPresent(blockers::add);
        venv.note().ifPresent(notes::add);
        data.put("venv_setup", venv.setup());
        data.put("venv_create", venv.create());
        data.put("venv_dir", venv.venv());
        data.put("notes", notes);
        data.put("blockers", blockers);
        data.put("warnings", warnings);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("plan_target", data.get("target_release"));
        report.put("plan_target_schema", data.get("target_schema"));
        report.put("plan_up_to_date", plan.upToDate());
        report.put("plan_db_upgrade", plan.dbUpgradeNeeded());
        report.put("plan_scripts", data.get("scripts"));
        report.put("plan_blockers", blockers);
        report.put("plan_warnings", warnings);
        report.put("plan_notes", notes);
        if (!plan.upToDate()) {
            report.put("plan_downtime", DowntimeEstimate.of(context, longOf(f.get("db_size")), plan.dbUpgradeNeeded(), Map.of()));
        }
        if (!blockers.isEmpty()) {
            return new TaskResult.Failed(false, "blocked: " + String.join("; ", blockers), data, report);
        }
        return new TaskResult.Ok(false, plan.upToDate() ? "already at " + release.version().version() : "", data, report);
    }

    static Map<String, Object> describe(UpgradePlan plan, ReleaseZip release) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("current_release", plan.currentRelease().map(ReleaseVersion::version).orElse(""));
        data.put("current_schema", plan.currentSchema().map(SchemaVersion::toString).orElse(""));
        data.put("target_release", plan.targetRelease().version());
        data.put("target_schema", plan.targetSchema().map(SchemaVersion::toString).orElse(""));
        data.put("release_dir", release.topDirectory());
        data.put("up_to_date", plan.upToDate());
        data.put("db_upgrade_needed", plan.dbUpgradeNeeded());
        List<String> scripts = new ArrayList<>();
        for (UpgradeScripts.Step step : plan.scripts()) {
            scripts.add(step.script());
        }
        data.put("scripts", scripts);
        // the first step's precheck is the one that can run now: it asserts the schema the database is at
        data.put("precheck", plan.scripts().isEmpty() ? "" : plan.scripts().get(0).precheck().orElse(""));
        data.put("blockers", plan.blockers());
        data.put("warnings", plan.warnings());
        return data;
    }

    /** The virtualenv the new release's bin/omero needs (5.6), from the facts and the inventory's omero_venv_* settings. */
    private static VenvPlan venvPlan(UpgradePlan plan, Map<?, ?> facts, Map<String, Object> vars) {
        String dir = text(vars.get("omero_venv_dir"));
        VenvPlan.Found found = new VenvPlan.Found(text(facts.get("venv")), text(facts.get("venv_from")), text(facts.get("omero_py")),
                text(facts.get("python3")));
        VenvPlan.Wanted wanted = new VenvPlan.Wanted(truthy(vars.get("omero_venv_create")),
                dir.isEmpty() ? text(facts.get("base_dir")) + "/venv3" : dir, text(vars.get("omero_py_version")));
        return VenvPlan.decide(plan.currentRelease(), plan.targetRelease(), found, wanted);
    }

    private static boolean truthy(Object value) {
        return value instanceof Boolean b ? b : value != null && List.of("true", "yes", "on", "1").contains(String.valueOf(value).strip().toLowerCase(java.util.Locale.ROOT));
    }

    private static String text(Object value) {
        String t = value == null ? "" : String.valueOf(value).strip();
        return t.equals("unknown") ? "" : t;
    }

    private static long longOf(Object value) {
        return value instanceof Number ? ((Number) value).longValue() : -1;
    }

    /** What the planner needs from a release zip: its version, top folder and upgrade scripts. */
    record ReleaseZip(ReleaseVersion version, String topDirectory, List<String> scripts) {

        static ReleaseZip read(Path zip) {
            String fileName = zip.getFileName().toString();
            ReleaseVersion version = ReleaseVersion.parse(fileName)
                    .orElseThrow(() -> new IllegalArgumentException("not an OMERO.server release zip name: " + fileName
                            + " (expected OMERO.server-<version>-ice<NN>-b<build>.zip)"));
            List<String> scripts = new ArrayList<>();
            String top = null;
            try (ZipFile file = new ZipFile(zip.toFile())) {
                for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                    String name = entry.getName();
                    int slash = name.indexOf('/');
                    String first = slash < 0 ? name : name.substring(0, slash);
                    top = top == null ? first : top.equals(first) ? top : "";
                    String inner = slash < 0 ? "" : name.substring(slash + 1);
                    if (inner.startsWith("sql/psql/") && inner.endsWith(".sql")) {
                        scripts.add(inner);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + zip, e);
            }
            if (top == null || top.isEmpty()) {
                throw new IllegalArgumentException(zip + " does not hold exactly one top-level directory");
            }
            return new ReleaseZip(version, top, List.copyOf(scripts));
        }

        /** {@return the SQL of the upgrade scripts {@code plan} would run, read from the zip} */
        static List<String> texts(Path zip, ReleaseZip release, UpgradePlan plan) {
            List<String> texts = new ArrayList<>();
            try (ZipFile file = new ZipFile(zip.toFile())) {
                for (UpgradeScripts.Step step : plan.scripts()) {
                    ZipEntry entry = file.getEntry(release.topDirectory() + "/" + step.script());
                    if (entry != null) {
                        try (var in = file.getInputStream(entry)) {
                            texts.add(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + zip, e);
            }
            return texts;
        }
    }
}
