package org.omerofleet.omero;

import java.util.Objects;
import java.util.Optional;

/**
 * Hold what was read from one host before planning its upgrade.
 *
 * @param installedRelease the release the live install runs, empty if it could not be told
 * @param currentSchema    the newest {@code dbpatch} row, empty if the database could not be read
 * @param serverRunning    whether {@code omero admin status} reported the server up
 * @param dbSizeBytes      {@code pg_database_size} of the OMERO database
 * @param backupFreeBytes  free space where the dump will be written
 * @param installFreeBytes free space where the new release will be unpacked
 */
public record HostFacts(Optional<ReleaseVersion> installedRelease, Optional<SchemaVersion> currentSchema,
        boolean serverRunning, long dbSizeBytes, long backupFreeBytes, long installFreeBytes) {

    public HostFacts {
        Objects.requireNonNull(installedRelease, "installedRelease");
        Objects.requireNonNull(currentSchema, "currentSchema");
        requireNotNegative(dbSizeBytes, "dbSizeBytes");
        requireNotNegative(backupFreeBytes, "backupFreeBytes");
        requireNotNegative(installFreeBytes, "installFreeBytes");
    }

    private static void requireNotNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
