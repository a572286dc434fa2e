package org.omerofleet.omero;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Plan one host's upgrade from its {@link HostFacts}, the target release and that release's
 * {@code sql/psql} script list. Pure: it reads nothing and changes nothing.
 *
 * <p>Blockers: unreadable schema; target release whose schema is unknown; scripts that disagree with
 * that schema; no script path; a database or an install newer than the target (downgrades are
 * refused); less free space at the backup directory than twice the database; less free space at the
 * install directory than the configured minimum. The space checks apply to every upgrade, including
 * binary-only ones, because every upgrade takes a dump first.
 */
public final class UpgradePlanner {

    /** The default free space wanted where the release is unpacked: an unpacked 5.6 server is a few hundred MiB. */
    public static final long DEFAULT_MIN_INSTALL_FREE_BYTES = 1L << 30;

    /** A custom-format dump is usually much smaller than the database; twice its size leaves room for a second copy. */
    private static final int BACKUP_FACTOR = 2;

    private final long minInstallFreeBytes;

    /** Plan with {@link #DEFAULT_MIN_INSTALL_FREE_BYTES}. */
    public UpgradePlanner() {
        this(DEFAULT_MIN_INSTALL_FREE_BYTES);
    }

    /** Plan with the given minimum free space at the install directory. */
    public UpgradePlanner(long minInstallFreeBytes) {
        if (minInstallFreeBytes < 0) {
            throw new IllegalArgumentException("minInstallFreeBytes must not be negative: " + minInstallFreeBytes);
        }
        this.minInstallFreeBytes = minInstallFreeBytes;
    }

    /**
     * {@return the plan for bringing a host described by {@code facts} to {@code target}}
     *
     * @param scriptPaths the release's {@code .sql} files, e.g. from {@code find sql/psql -name '*.sql'}
     */
    public UpgradePlan plan(HostFacts facts, ReleaseVersion target, Collection<String> scriptPaths) {
        List<String> blockers = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Optional<SchemaVersion> targetSchema = target.schema();
        Optional<SchemaVersion> currentSchema = facts.currentSchema();
        Optional<ReleaseVersion> currentRelease = facts.installedRelease();

        List<UpgradeScripts.Step> scripts = List.of();
        boolean schemaCurrent = false;
        if (currentSchema.isEmpty()) {
            blockers.add("Unable to read the database schema version from dbpatch");
        }
        if (targetSchema.isEmpty()) {
            blockers.add("No known database schema for target release " + target);
        }
        if (currentSchema.isPresent() && targetSchema.isPresent()) {
            UpgradeScripts.Resolution resolution = UpgradeScripts.fromPaths(scriptPaths)
                    .resolve(currentSchema.get(), targetSchema.get());
            switch (resolution.kind()) {
                case UP_TO_DATE:
                    schemaCurrent = true;
                    break;
                case PATH:
                    scripts = resolution.steps();
                    break;
                case NO_PATH:
                case DOWNGRADE:
                case TARGET_MISMATCH:
                    blockers.add(resolution.message());
                    break;
                default:
                    throw new IllegalStateException("unknown resolution " + resolution.kind());
            }
        }

        boolean sameRelease = currentRelease.map(r -> r.isSameReleaseAs(target)).orElse(false);
        if (currentRelease.isEmpty()) {
            warnings.add("Installed release unknown; the install will be replaced by " + target);
        } else if (currentRelease.get().isNewerThan(target)) {
            blockers.add("Installed release " + currentRelease.get() + " is newer than the target " + target
                    + "; downgrade refused");
        } else if (currentRelease.get().layout() != target.layout()) {
            warnings.add("Layout changes from " + currentRelease.get().layout() + " to " + target.layout()
                    + " (" + currentRelease.get() + " -> " + target + "): OMERO.web, symlink and environment differ");
        }

        boolean upToDate = sameRelease && schemaCurrent && blockers.isEmpty();
        if (upToDate) {
            return new UpgradePlan(currentRelease, currentSchema, target, targetSchema, false, List.of(), true,
                    List.of(), warnings);
        }

        long backupWanted = saturatingTimes(facts.dbSizeBytes(), BACKUP_FACTOR);
        if (facts.backupFreeBytes() < backupWanted) {
            blockers.add("Not enough free space for the database backup: " + Bytes.human(facts.backupFreeBytes())
                    + " free, need " + Bytes.human(backupWanted) + " (" + BACKUP_FACTOR + " x database size "
                    + Bytes.human(facts.dbSizeBytes()) + ")");
        }
        if (!sameRelease && facts.installFreeBytes() < minInstallFreeBytes) {
            blockers.add("Not enough free space for the new release: " + Bytes.human(facts.installFreeBytes())
                    + " free at the install directory, need " + Bytes.human(minInstallFreeBytes));
        }
        if (facts.serverRunning()) {
            warnings.add("OMERO.server is running and will be stopped for the upgrade");
        }
        return new UpgradePlan(currentRelease, currentSchema, target, targetSchema, !scripts.isEmpty(), scripts,
                false, blockers, warnings);
    }

    private static long saturatingTimes(long value, int factor) {
        return value > Long.MAX_VALUE / factor ? Long.MAX_VALUE : value * factor;
    }
}
