package org.omerofleet.omero;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Say what upgrading one host to a release involves, and what stands in the way, before anything is
 * touched. Made by {@link UpgradePlanner}.
 *
 * @param currentRelease  the installed release, if known
 * @param currentSchema   the database schema, if it could be read
 * @param targetRelease   the release to install
 * @param targetSchema    the schema that release runs on, if known
 * @param dbUpgradeNeeded whether upgrade scripts must run
 * @param scripts         the scripts to run, in order; empty unless {@code dbUpgradeNeeded}
 * @param upToDate        same release and same schema: nothing to do
 * @param blockers        reasons not to start; the upgrade may proceed only if this is empty
 * @param warnings        things to tell the operator that do not stop the upgrade
 */
public record UpgradePlan(Optional<ReleaseVersion> currentRelease, Optional<SchemaVersion> currentSchema,
        ReleaseVersion targetRelease, Optional<SchemaVersion> targetSchema, boolean dbUpgradeNeeded,
        List<UpgradeScripts.Step> scripts, boolean upToDate, List<String> blockers, List<String> warnings) {

    public UpgradePlan {
        Objects.requireNonNull(currentRelease, "currentRelease");
        Objects.requireNonNull(currentSchema, "currentSchema");
        Objects.requireNonNull(targetRelease, "targetRelease");
        Objects.requireNonNull(targetSchema, "targetSchema");
        scripts = List.copyOf(scripts);
        blockers = List.copyOf(blockers);
        warnings = List.copyOf(warnings);
        if (dbUpgradeNeeded == scripts.isEmpty()) {
            throw new IllegalArgumentException("a DB upgrade needs scripts, and scripts mean a DB upgrade: dbUpgradeNeeded="
                    + dbUpgradeNeeded + ", scripts=" + scripts);
        }
        if (upToDate && (dbUpgradeNeeded || !blockers.isEmpty())) {
            throw new IllegalArgumentException("an up-to-date host has no scripts and no blockers");
        }
    }

    /** {@return true if there is something to do and nothing blocks it} */
    public boolean canProceed() {
        return !upToDate && blockers.isEmpty();
    }

    /** {@return the layout of the target release} */
    public Layout targetLayout() {
        return targetRelease.layout();
    }
}
