package org.omerofleet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.omerofleet.report.FleetReport;
import org.omerofleet.report.PlanTable;
import org.omerofleet.report.RunTimelineHtml;
import org.omerofleet.result.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The OMERO commands: each runs one of the shipped playbooks ({@code playbooks/*.yml}) with its
 * variables filled from the options, so an admin's edited playbook keeps working and the safety logic
 * stays in the modules.
 */
final class OmeroCommands {

    private OmeroCommands() {
    }

    /** Options every OMERO command shares. */
    abstract static class Base implements Callable<Integer> {
        final Services services;

        @Mixin
        InventoryOptions inventory;

        @Mixin
        ConnectionOptions connection;

        @Mixin
        RunControlOptions control;

        @Option(names = "--playbook", paramLabel = "FILE", description = "run this playbook instead of the shipped one")
        Path playbook;

        @Option(names = "--backup-dir", paramLabel = "DIR", description = "where dumps go on each host (default: the playbook's backup_dir)")
        String backupDir;

        Base(Services services) {
            this.services = services;
        }

        abstract String playbookName();

        /** {@return the run history (--results-db, else the runs directory) from {@code since} on} */
        org.omerofleet.report.RunHistory history(Optional<java.time.Instant> since, String option) {
            try {
                if (control.resultsDb == null) {
                    return new org.omerofleet.report.RunHistory(control.runsDir, since);
                }
                org.omerofleet.db.RunStore store = PlaybookRun.resultsDb(control.resultsDb, services.env());
                store.migrate(); // a new results database has no tables yet: the run would create them anyway
                return new org.omerofleet.report.RunHistory(store.reports(since));
            } catch (java.sql.SQLException e) {
                throw new UsageException(option + ": cannot read the run history: " + e.getMessage(), e);
            }
        }

        /** {@return what the run history says about upgrade times to {@code release}'s schema, for the downtime prediction} */
        Map<String, Object> downtimeHistory(Path release) {
            String target = org.omerofleet.omero.ReleaseVersion.parse(release.getFileName().toString())
                    .flatMap(org.omerofleet.omero.ReleaseVersion::schema).map(Object::toString).orElse("");
            Optional<java.time.Instant> before = Optional.ofNullable(control.resumeRun).map(Path::getFileName).map(Path::toString)
                    .filter(id -> id.length() >= 19).flatMap(id -> {
                        try {
                            return Optional.of(java.time.LocalDateTime.parse(id.substring(0, 19),
                                    java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss")).toInstant(java.time.ZoneOffset.UTC));
                        } catch (java.time.DateTimeException e) {
                            return Optional.<java.time.Instant>empty();
                        }
                    });
            return history(Optional.empty(), "downtime prediction").downtimeModel(target, before);
        }

        abstract Map<String, Object> vars() throws Exception;

        Optional<List<Object>> serial() {
            return Optional.empty();
        }

        @Override
        public Integer call() throws Exception {
            Map<String, Object> vars = new LinkedHashMap<>(vars());
            if (backupDir != null) {
                vars.put("backup_dir", backupDir);
            }
            return new PlaybookRun(services, inventory, connection, control).run(ShippedPlaybooks.locate(playbookName(), playbook),
                    vars, serial());
        }
    }

    static Path release(Path zip) {
        if (!Files.isRegularFile(zip)) {
            throw new UsageException("--release " + zip + ": no such file");
        }
        String name = zip.getFileName().toString();
        if (!name.matches("OMERO\\.server-.+-ice3.+\\.zip")) {
            throw new UsageException("--release " + zip + ": expected a zip named OMERO.server-<version>-ice3x-b<build>.zip");
        }
        return zip.toAbsolutePath().normalize();
    }

    /** {@return a {@code --serial} value such as {@code 1,25%} as batch sizes} */
    static List<Object> parseSerial(String text) {
        List<Object> sizes = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.matches("\\d+")) {
                int n = Integer.parseInt(p);
                if (n < 1) {
                    throw new UsageException("--serial: batch sizes must be at least 1, got " + p);
                }
                sizes.add(n);
            } else if (p.matches("\\d+(\\.\\d+)?%")) {
                double percent = Double.parseDouble(p.substring(0, p.length() - 1));
                if (percent <= 0 || percent > 100) {
                    throw new UsageException("--serial: percentages must be in (0, 100], got " + p);
                }
                sizes.add(p);
            } else {
                throw new UsageException("--serial: expected numbers or percentages like 1,25%, got '" + p + "'");
            }
        }
        return sizes;
    }

    /** {@code upgrade}: the rolling upgrade of every selected host to one release. */
    @Command(name = "upgrade", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet upgrade -i inventories/prod.yml --release \\",
            "      OMERO.server-4.4.1-ice34-b3035.zip --serial 1,25%%",
            "  omero-fleet upgrade -i inventories/prod.yml --limit omero3 --release \\",
            "      OMERO.server-4.4.1-ice34-b3035.zip --optimize"},
        description = "Upgrade OMERO.server on every selected host to a release zip (playbooks/upgrade.yml).")
    static final class Upgrade extends Base {
        @Option(names = "--release", required = true, paramLabel = "ZIP", description = "OMERO.server-<version>-ice3x-b<build>.zip on this machine")
        Path release;

        @Option(names = "--serial", paramLabel = "SIZES", description = "batches, e.g. 1,25%% (a canary, then a quarter at a time)")
        String serial;

        @Option(names = "--optimize", description = "VACUUM FULL ANALYZE and REINDEX after a database upgrade")
        boolean optimize;

        @Option(names = "--carry-scripts", description = "copy scripts added or modified in lib/scripts into the new release"
                + " (compared with the installed release's zip, found beside --release)")
        boolean carryScripts;

        @Option(names = "--require-rehearsal", description = "refuse (untouched) every host whose database upgrade to this release was not"
                + " rehearsed successfully by plan --rehearse within --rehearsal-max-age, as the run history records it")
        boolean requireRehearsal;

        @Option(names = "--rehearsal-max-age", paramLabel = "AGE", defaultValue = "168",
                description = "with --require-rehearsal, how old a rehearsal may be: 90s, 30m, 12h, 30d; a bare number is hours"
                        + " (default ${DEFAULT-VALUE})")
        String rehearsalMaxAge;

        Upgrade(Services services) {
            super(services);
        }

        @Override
        String playbookName() {
            return "upgrade.yml";
        }

        @Override
        Map<String, Object> vars() {
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("release_zip", release(release).toString());
            vars.put("optimize", optimize);
            vars.put("carry_scripts", carryScripts);
            java.time.Duration maxAge = DurationOption.parse("--rehearsal-max-age", rehearsalMaxAge, java.time.temporal.ChronoUnit.HOURS);
            vars.put("downtime_history", downtimeHistory(release));
            if (requireRehearsal) {
                vars.put("require_rehearsal", true);
                vars.put("rehearsed_hosts", rehearsedHosts(maxAge));
            }
            return vars;
        }

        @Override
        Optional<List<Object>> serial() {
            return Optional.ofNullable(serial).map(OmeroCommands::parseSerial);
        }

        /** {@return the hosts with a successful rehearsal to the release's schema, young enough, in the run history} */
        private List<Object> rehearsedHosts(java.time.Duration maxAge) {
            if (maxAge.isZero()) {
                throw new UsageException("--rehearsal-max-age must be more than 0, got " + rehearsalMaxAge);
            }
            String target = org.omerofleet.omero.ReleaseVersion.parse(release.getFileName().toString())
                    .flatMap(org.omerofleet.omero.ReleaseVersion::schema).map(Object::toString)
                    .orElseThrow(() -> new UsageException("--require-rehearsal: the schema of " + release.getFileName() + " is not known"));
            java.time.Instant since = java.time.Instant.now().minus(maxAge);
            return new ArrayList<>(history(Optional.of(since), "--require-rehearsal").rehearsals(target, since).keySet());
        }
    }

    /** {@code plan}: what an upgrade would do on each host, as a table; nothing is changed. */
    @Command(name = "plan", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet plan -i inventories/prod.yml --release \\",
            "      OMERO.server-4.4.1-ice34-b3035.zip"},
        description = "Show, per host, the current and target release and schema, the database scripts that would run,"
            + " free space against twice the database size, and blockers; changes nothing (playbooks/plan.yml).")
    static final class Plan extends Base {
        @Option(names = "--release", required = true, paramLabel = "ZIP", description = "OMERO.server-<version>-ice3x-b<build>.zip on this machine")
        Path release;

        @Option(names = "--rehearse", description = "restore a verified dump of each database into a scratch database, run the upgrade"
                + " scripts there, time each phase, drop it (the server keeps running)")
        boolean rehearse;

        @Option(names = "--backup-max-age", paramLabel = "AGE", defaultValue = "0",
                description = "with --rehearse, use the newest verified backup younger than this instead of a fresh dump: 90s, 30m, 12h, 30d;"
                        + " a bare number is seconds (default 0: always dump)")
        String backupMaxAge;

        @Option(names = "--serial", paramLabel = "SIZES", description = "the batches the upgrade would use, e.g. 1,25%%, for the fleet's"
                + " predicted wall time (default: one batch)")
        String serial;

        @Option(names = "--rehearsal-disk-margin", paramLabel = "N", defaultValue = "2",
                description = "with --rehearse, refuse unless N x the database size stays free on the database server (default 2; 0: no check)")
        long diskMargin;

        Plan(Services services) {
            super(services);
        }

        @Override
        String playbookName() {
            return "plan.yml";
        }

        @Override
        Map<String, Object> vars() {
            if (diskMargin < 0) {
                throw new UsageException("--rehearsal-disk-margin must not be negative");
            }
            long maxAgeSeconds = DurationOption.parse("--backup-max-age", backupMaxAge, java.time.temporal.ChronoUnit.SECONDS).toSeconds();
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("release_zip", release(release).toString());
            vars.put("rehearse", rehearse);
            vars.put("backup_max_age", maxAgeSeconds);
            vars.put("rehearsal_disk_margin", diskMargin);
            vars.put("downtime_history", downtimeHistory(release));
            return vars;
        }

        @Override
        public Integer call() throws Exception {
            List<Object> batches = serial == null ? List.of() : parseSerial(serial);
            Map<String, Object> vars = vars();
            PlaybookRun run = new PlaybookRun(services, inventory, connection, control);
            RunSummary summary = run.execute(ShippedPlaybooks.locate(playbookName(), playbook), vars, Optional.empty());
            int code = ExitCodes.of(summary);
            if (control.json) {
                // report.json with the fleet's predicted wall time; per host, plan_downtime is in each host's report
                services.out().println(new org.omerofleet.report.ReportJson().render(summary, code, Map.of("fleet_downtime",
                        org.omerofleet.report.FleetForecast.of(PlanTable.predictions(summary), batches, control.forks).toMap())));
            } else {
                services.out().println();
                services.out().print(PlanTable.render(summary, batches, control.forks));
            }
            run.printed();
            return code;
        }
    }

    /** {@code report}: what runs where, as a table, JSON, CSV or an HTML page; nothing is changed. */
    @Command(name = "report", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet report -i inventories/prod.yml",
            "  omero-fleet report -i inventories/prod.yml --format html -o fleet.html",
            "  omero-fleet report --runs runs/2026-12-02T03-08-37 -o run.html"},
        description = "Per host: release, layout, schema, server status, PostgreSQL version, database size, free space"
            + " and the newest backup, and the fleet's drift (omero.* settings that differ from the fleet's, hosts off"
            + " omero_target_release), as a table, JSON, CSV or one HTML page (playbooks/report.yml); changes nothing.")
    static final class Report extends Base {
        @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", converter = Format.Values.class,
                description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
        Format format;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the report here instead of stdout")
        Path output;

        @Option(names = "--runs", paramLabel = "RUN_DIR", description = "instead of asking the hosts: one past run (runs/<id>) as an HTML page"
                + " with a timeline of every host's steps")
        Path runDir;

        Report(Services services) {
            super(services);
        }

        @Override
        String playbookName() {
            return "report.yml";
        }

        @Override
        Map<String, Object> vars() {
            return Map.of();
        }

        @Override
        public Integer call() throws Exception {
            if (runDir != null) {
                write(RunTimelineHtml.render(runDir));
                return ExitCodes.OK;
            }
            // the run's own progress goes to stderr so that stdout carries only the report
            Services quiet = services.withOut(services.err());
            PlaybookRun run = new PlaybookRun(quiet, inventory, connection, control);
            RunSummary summary = run.execute(ShippedPlaybooks.locate(playbookName(), playbook), vars(), Optional.empty());
            FleetReport report = new FleetReport(summary, services.clock().instant());
            String text = switch (format) {
                case JSON -> report.json();
                case CSV -> report.csv();
                case HTML -> report.html();
                case TABLE -> report.table();
            };
            write(text);
            run.printed();
            return ExitCodes.of(summary);
        }

        /** The values of {@code --format}. */
        enum Format {
            TABLE, JSON, CSV, HTML;

            static final class Values extends EnumValues<Format> {
                Values() {
                    super(Format.class);
                }
            }

            /** {@return the value as written on the command line} */
            @Override
            public String toString() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }

        private void write(String text) throws java.io.IOException {
            if (output != null) {
                Files.writeString(output, text);
                services.err().println("report written to " + output);
            } else {
                services.out().print(text);
            }
        }
    }

    /** {@code backup}: a verified database dump on every selected host. */
    @Command(name = "backup", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet backup -i inventories/prod.yml --limit omero2"},
        description = "Dump each selected host's OMERO database, verified and hashed (playbooks/backup.yml).")
    static final class Backup extends Base {
        Backup(Services services) {
            super(services);
        }

        @Override
        String playbookName() {
            return "backup.yml";
        }

        @Override
        Map<String, Object> vars() {
            return Map.of();
        }
    }

    /** {@code restore}: a backup into a new database, then the server switched to it. */
    @Command(name = "restore", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet restore -i inventories/prod.yml --limit omero2 --backup latest"},
        description = "Restore a backup into a NEW database and point OMERO at it; the original is kept (playbooks/restore.yml).")
    static final class Restore extends Base {
        @Option(names = "--backup", required = true, paramLabel = "FILE|latest",
                description = "dump file on the host, or latest in the backup dir (by the time its manifest records)")
        String backup;

        @Option(names = "--sha256", paramLabel = "HEX",
                description = "the dump's SHA-256: required for a dump that has no manifest beside it (one not made by backup)")
        String sha256;

        Restore(Services services) {
            super(services);
        }

        @Override
        String playbookName() {
            return "restore.yml";
        }

        @Override
        Map<String, Object> vars() {
            return sha256 == null ? Map.of("backup", backup) : Map.of("backup", backup, "backup_sha256", sha256);
        }
    }

    /** {@code unlock}: release a host lock left by a dead controller, named by its id. */
    @Command(name = "unlock", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet unlock -i inventories/prod.yml --limit omero2 --lock-id \\",
            "      'laptop:2026-12-01T09-00-00:9f3c2a1b7d4e5f60'"},
        description = "Release the host lock of a controller run that died, named by its id (playbooks/unlock.yml).")
    static final class Unlock extends Base {
        @Option(names = "--lock-id", required = true, paramLabel = "ID", description = "the id printed by the run that found the host locked")
        String lockId;

        Unlock(Services services) {
            super(services);
        }

        @Override
        String playbookName() {
            return "unlock.yml";
        }

        @Override
        Map<String, Object> vars() {
            return Map.of("lock_id", lockId);
        }
    }

    /** {@code optimize}: VACUUM FULL ANALYZE and REINDEX. */
    @Command(name = "optimize", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet optimize -i inventories/prod.yml --limit omero2"},
        description = "VACUUM FULL ANALYZE and REINDEX each selected host's OMERO database (playbooks/optimize.yml).")
    static final class Optimize extends Base {
        Optimize(Services services) {
            super(services);
        }

        @Override
        String playbookName() {
            return "optimize.yml";
        }

        @Override
        Map<String, Object> vars() {
            return Map.of();
        }
    }
}
