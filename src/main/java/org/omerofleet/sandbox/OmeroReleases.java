package org.omerofleet.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Know the simulated OMERO.server releases and build their zips on demand into a cache directory.
 *
 * <p>A zip is built once and published atomically (temp file, then rename), so concurrent callers and
 * interrupted builds never see half a zip. A hidden sidecar holds the SHA-256 of the bundle's content;
 * when the simulator itself changes, the stale zip is rebuilt. Normal zips sit directly in the cache directory; zips with an
 * injected {@link Fault} keep the real file name but sit in a sub-directory named after the fault
 * ({@code fail-midway/}, {@code silent-error/}, {@code unfinished/}), so the host under test cannot tell them apart by name.
 *
 * <p>Zips are written with commons-compress rather than {@code java.util.zip} because only the former
 * records Unix modes in the external attributes, which {@code unzip} needs to restore {@code bin/omero}
 * as executable.
 */
public final class OmeroReleases {

    /** Faults a release's upgrade scripts can carry, for testing how failures are detected. */
    public enum Fault {
        /** Well-behaved scripts. */
        NONE,
        /**
         * An error after half of the schema changes, inside the transaction: {@code psql -v ON_ERROR_STOP=1}
         * exits 3, plain psql exits 0; either way nothing is committed.
         */
        FAIL_MIDWAY,
        /**
         * No transaction, and the final {@code dbpatch} update fails: plain psql exits 0 and still prints
         * the success line, but the newest row stays at {@code 'Updating'} with {@code finished} null and
         * the schema changes are kept. With {@code ON_ERROR_STOP=1} psql exits 3 at that update.
         */
        SILENT_ERROR,
        /**
         * No error at all, but the final {@code dbpatch} update matches no row: psql exits 0 even with
         * {@code ON_ERROR_STOP=1} and prints the success line, yet the newest row stays at
         * {@code 'Updating'} with {@code finished} null. Only the dbpatch postcondition catches it.
         */
        UNFINISHED,
        /**
         * Sound upgrade scripts, but {@code etc/omero.properties} expects a schema patch the scripts never
         * reach, so the new server refuses to start after a successful database upgrade (as a release built
         * for another schema would).
         */
        START_FAILS,
        /**
         * Sound scripts whose PostgreSQL prerequisite (in the upgrade scripts and the precheck alike) is a
         * server version no host runs, 99.0: a host on an older PostgreSQL, as a 9.2 host is for 5.4.
         */
        NEEDS_NEWER_POSTGRES,
        /**
         * Sound scripts on sound data, but the last change adds a constraint ({@code image.name} not blank) that
         * data on some hosts breaks: the script fails only where an image has an empty name, as real upgrade
         * scripts fail on data a release's constraint did not expect.
         */
        FAILS_ON_DATA,
        /**
         * Sound scripts, but {@code bin/omero web config nginx|apache} prints a stanza whose server block is
         * never closed, which {@code nginx -t} and {@code apachectl configtest} refuse.
         */
        BAD_WEB_STANZA;

        boolean transactional() {
            return this != SILENT_ERROR;
        }

        String directory() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static final List<OmeroRelease> ALL = List.of(
            release("4.3.2", "ice34", 43, "OMERO4.3__0"),
            release("4.4.0", "ice34", 2970, "OMERO4.4__0"),
            release("4.4.1", "ice34", 3035, "OMERO4.4__0"),
            release("5.0.8", "ice35", 60, "OMERO5.0__0"),
            release("5.1.4", "ice35", 55, "OMERO5.1__1"),
            release("5.2.8", "ice36", 54, "OMERO5.2__0"),
            release("5.3.5", "ice36", 73, "OMERO5.3__1"),
            release("5.4.10", "ice36", 105, "OMERO5.4__0"),
            release("5.6.3", "ice36", 228, "OMERO5.4__0"),
            release("5.6.9", "ice36", 245, "OMERO5.4__0"));

    private static final String RESOURCES = "/org/omerofleet/sandbox/";
    private static final int DIR_MODE = 0755;
    private static final int FILE_MODE = 0644;
    private static final int EXEC_MODE = 0755;

    private final Path cacheDir;

    /** Build zips into (and reuse them from) {@code cacheDir}. */
    public OmeroReleases(Path cacheDir) {
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
    }

    /** {@return every known release, oldest first} */
    public List<OmeroRelease> all() {
        return ALL;
    }

    /** {@return the release with this version, e.g. {@code 4.4.1}} */
    public Optional<OmeroRelease> find(String version) {
        return ALL.stream().filter(r -> r.version().equals(version)).findFirst();
    }

    /** {@return the release with this version, or an exception naming the known ones} */
    public OmeroRelease release(String version) {
        return find(version).orElseThrow(() -> new IllegalArgumentException(
                "unknown OMERO release " + version + "; known: " + ALL.stream().map(OmeroRelease::version).toList()));
    }

    /** {@return the path of the well-behaved zip of {@code version}, building it if needed} */
    public Path zip(String version) throws IOException {
        return zip(version, Fault.NONE);
    }

    /** {@return the path of the zip of {@code version} with {@code fault} injected, building it if needed} */
    public Path zip(String version, Fault fault) throws IOException {
        OmeroRelease release = release(version);
        Path dir = fault == Fault.NONE ? cacheDir : cacheDir.resolve(fault.directory());
        Path target = dir.resolve(release.zipName());
        Map<String, byte[]> files = files(release, fault);
        String digest = digest(files);
        // The sidecar lets a changed simulator (new bin/omero, new SQL) replace a stale cached zip.
        Path sidecar = dir.resolve("." + release.zipName() + ".sha256");
        if (Files.exists(target) && Files.exists(sidecar) && Files.readString(sidecar).equals(digest)) {
            return target;
        }
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".building-", ".zip");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                write(release, files, out);
            }
            Files.setPosixFilePermissions(temp, Modes.toPermissions(FILE_MODE));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(temp, digest);
            Files.move(temp, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    private static String digest(Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
                sha.update(utf8(file.getKey() + "\0" + file.getValue().length + "\0"));
                sha.update(file.getValue());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** {@return every file of the bundle (relative to its top folder) mapped to its content} */
    Map<String, byte[]> files(OmeroRelease release, Fault fault) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("bin/omero", resource("omero.sh"));
        files.put("etc/grid/config.xml", utf8(GridConfig.render(Map.of())));
        files.put("etc/grid/default.xml", resource("default.xml"));
        files.put("etc/grid/templates.xml", resource("templates.xml"));
        files.put("etc/omero.properties", utf8(fault == Fault.START_FAILS
                ? properties(release).replace("omero.db.patch=" + release.schema().patch() + "\n", "omero.db.patch=99\n")
                : fault == Fault.BAD_WEB_STANZA ? properties(release) + "omero.sandbox.web.stanza=broken\n" : properties(release)));
        files.put("lib/scripts/.gitignore", utf8("*.pyc\n"));
        files.put("lib/scripts/omero/util_scripts/Hello.py", resource("script_hello.py"));
        files.put("lib/scripts/omero/analysis_scripts/Dataset_Summary.py", resource("script_dataset_summary.py"));
        files.put("var/log/.keep", new byte[0]);
        files.put("var/master/.keep", new byte[0]);
        for (SchemaHistory.Step step : SchemaHistory.shippedBy(release.schema())) {
            files.put("sql/psql/" + step.path(), utf8(SqlScripts.upgrade(step, fault)));
        }
        addHelpers(release, files, fault);
        return files;
    }

    private static void addHelpers(OmeroRelease release, Map<String, byte[]> files, Fault fault) {
        String own = "sql/psql/" + release.schema() + "/";
        files.put(own + "schema.sql", utf8(SqlScripts.schema(release.schema())));
        if (!release.version().startsWith("4.")) {
            files.put(own + "psql-footer.sql", utf8(SqlScripts.footer()));
        }
        for (SchemaHistory.Step step : SchemaHistory.shippedBy(release.schema())) {
            if (step.target().toString().equals("OMERO5.4__0")) {
                files.put("sql/psql/" + step.target() + "/" + step.source() + "-precheck.sql",
                        utf8(SqlScripts.precheck(step, fault)));
            }
        }
    }

    private static void write(OmeroRelease release, Map<String, byte[]> files, OutputStream out) throws IOException {
        String top = release.bundleName() + "/";
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            Set<String> dirs = new TreeSet<>();
            dirs.add(top);
            for (String name : files.keySet()) {
                for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
                    dirs.add(top + name.substring(0, i + 1));
                }
            }
            for (String dir : dirs) {
                putEntry(zip, dir, DIR_MODE, new byte[0]);
            }
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                int mode = file.getKey().startsWith("bin/") ? EXEC_MODE : FILE_MODE;
                putEntry(zip, top + file.getKey(), mode, file.getValue());
            }
        }
    }

    private static void putEntry(ZipArchiveOutputStream zip, String name, int mode, byte[] content)
            throws IOException {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setUnixMode((name.endsWith("/") ? 040000 : 0100000) | mode);
        zip.putArchiveEntry(entry);
        zip.write(content);
        zip.closeArchiveEntry();
    }

    private static String properties(OmeroRelease release) {
        return "# Simulated OMERO.server " + release.fullVersion() + " (omero-fleet sandbox)\n"
                + "omero.version=" + release.fullVersion() + "\n"
                + "omero.db.version=" + release.schema().version() + "\n"
                + "omero.db.patch=" + release.schema().patch() + "\n"
                + "omero.db.profile=psql\n";
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OmeroReleases.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("missing resource " + RESOURCES + name);
            }
            return in.readAllBytes();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static OmeroRelease release(String version, String ice, int build, String schema) {
        return new OmeroRelease(version, ice, build, SchemaId.parse(schema));
    }
}
