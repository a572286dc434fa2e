package org.omerofleet.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Lay out an installed OMERO host the way the upgrade docs leave one: an unpacked release behind an
 * {@code OMERO.server} symlink, a populated database at the release's schema, and a config.xml
 * pointing at it.
 */
public final class OmeroInstall {

    /** The symlink name the docs and the Ansible role use for the active release. */
    public static final String LINK = "OMERO.server";
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private OmeroInstall() {
    }

    /**
     * Install {@code version} under {@code home} against a fresh database on {@code pg}.
     *
     * @return the release directory ({@code home/OMERO.server-<full version>})
     */
    public static Path install(Path home, OmeroReleases releases, String version, PostgresCluster pg,
            DbSettings db) throws IOException, SQLException {
        return install(new Place(home, home), releases, version, pg, db);
    }

    /**
     * Where a release is installed on a simulated host.
     *
     * @param home the host's home, whose {@code bin} gets the Ice stand-in
     * @param base the directory that gets the release, its {@code OMERO.server} link and data directory
     */
    record Place(Path home, Path base) {
    }

    /**
     * Install {@code version} under the place's base (its {@code OMERO.server} link and data directory there), with
     * the host's Ice stand-in in its home's {@code bin}.
     *
     * @return the release directory ({@code base/OMERO.server-<full version>})
     */
    static Path install(Place place, OmeroReleases releases, String version, PostgresCluster pg,
            DbSettings db) throws IOException, SQLException {
        Path home = place.home();
        Path base = place.base();
        OmeroRelease release = releases.release(version);
        pg.createRole(db.user(), db.password());
        pg.createDatabase(db.name(), db.user());
        Path dir = unzip(releases.zip(version), base);
        Path link = base.resolve(LINK);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(release.bundleName()));
        try (Connection c = pg.connect(db.name(), db.user(), db.password())) {
            runScript(c, Files.readString(dir.resolve("sql/psql/" + release.schema() + "/schema.sql")));
            insertSampleData(c);
        }
        writeConfig(dir, pg, db);
        installIce(home, release.iceVersion());
        return dir;
    }

    /**
     * Give the host Ice {@code version}: a stand-in {@code ~/bin/icegridnode} whose {@code --version}
     * prints it (the simulated server refuses to start under an Ice its build was not made for).
     */
    public static void installIce(Path home, String version) throws IOException {
        installCommand(home, "icegridnode", "[ \"${1-}\" = --version ] && { echo '" + version.replaceAll("[^0-9.]", "") + "'; exit 0; }\n"
                + "echo 'icegridnode (omero-fleet sandbox stand-in): only --version' >&2; exit 1\n");
    }

    /** Write an executable {@code ~/bin/<name>} (searched first on a sandbox host's PATH) running {@code body} under /bin/sh. */
    public static void installCommand(Path home, String name, String body) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n# omero-fleet sandbox stand-in\n" + body);
        Files.setPosixFilePermissions(file, Modes.toPermissions(0755));
    }

    /**
     * Unpack a release zip into {@code home}, keeping Unix modes, and return its top-level folder.
     */
    public static Path unzip(Path zip, Path destination) throws IOException {
        Path home = destination.toAbsolutePath().normalize();
        Files.createDirectories(home);
        Path top = null;
        try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
            Enumeration<ZipArchiveEntry> entries = file.getEntries();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry entry = entries.nextElement();
                Path out = home.resolve(entry.getName()).normalize();
                if (!out.startsWith(home)) {
                    throw new IOException("zip entry escapes " + home + ": " + entry.getName());
                }
                extractEntry(file, entry, out);
                if (top == null) {
                    top = home.resolve(entry.getName().substring(0, entry.getName().indexOf('/')));
                }
            }
        }
        if (top == null) {
            throw new IOException("empty zip " + zip);
        }
        return top;
    }

    /** Set the {@code default} profile of {@code <dir>/etc/grid/config.xml} to point at {@code db} on {@code pg}. */
    public static void writeConfig(Path dir, PostgresCluster pg, DbSettings db) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        Path dataDir = Files.createDirectories(dir.getParent().resolve("OMERO"));
        props.put("omero.data.dir", dataDir.toString());
        props.put("omero.db.host", pg.host());
        props.put("omero.db.port", String.valueOf(pg.port()));
        props.put("omero.db.name", db.name());
        props.put("omero.db.user", db.user());
        props.put("omero.db.pass", db.password());
        Path config = dir.resolve("etc/grid/config.xml");
        Path temp = config.resolveSibling("config.xml.tmp");
        Files.writeString(temp, GridConfig.render(props));
        Files.move(temp, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Kill every stand-in server and web process started from an install under {@code home}: those named
     * in pid files, and any {@code sleep} whose working directory lies under {@code home}.
     *
     * @return how many processes were killed
     */
    public static int stopProcesses(Path home) throws IOException {
        Path root = home.toAbsolutePath().normalize();
        // keyed by pid: a process is usually found both through its pid file and its working directory
        Map<Long, ProcessHandle> found = new LinkedHashMap<>();
        for (Path pidFile : pidFiles(root)) {
            readPid(pidFile).flatMap(ProcessHandle::of).ifPresent(p -> found.put(p.pid(), p));
            Files.deleteIfExists(pidFile);
        }
        ProcessHandle.allProcesses().filter(p -> isStandIn(p, root)).forEach(p -> found.put(p.pid(), p));
        List<ProcessHandle> victims = new ArrayList<>(found.values());
        int killed = 0;
        for (ProcessHandle p : victims) {
            if (running(p.pid()) && p.destroyForcibly()) {
                killed++;
            }
        }
        awaitGone(victims);
        return killed;
    }

    /**
     * {@return whether {@code pid} names a live process}
     * Unlike {@link ProcessHandle#isAlive()}, a zombie (killed, not yet reaped by init) counts as gone.
     */
    public static boolean running(long pid) {
        Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        try {
            String text = Files.readString(stat);
            char state = text.charAt(text.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !Files.isDirectory(stat.getParent());
        }
    }

    private static void awaitGone(List<ProcessHandle> victims) throws IOException {
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        while (victims.stream().anyMatch(p -> running(p.pid()))) {
            if (System.nanoTime() > deadline) {
                throw new IOException("processes survived SIGKILL: " + victims);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for processes to die", e);
            }
        }
    }

    private static void extractEntry(ZipFile file, ZipArchiveEntry entry, Path out) throws IOException {
        if (entry.isDirectory()) {
            Files.createDirectories(out);
        } else {
            Files.createDirectories(out.getParent());
            try (InputStream in = file.getInputStream(entry)) {
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        int mode = entry.getUnixMode() & 0777;
        if (mode != 0) {
            Files.setPosixFilePermissions(out, Modes.toPermissions(mode));
        }
    }

    private static void runScript(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void insertSampleData(Connection c) throws SQLException {
        runScript(c, "INSERT INTO experimenter (omename, firstname, lastname) VALUES ('root', 'root', 'root'),"
                + " ('alice', 'Alice', 'Smith')");
        long owner = single(c, "SELECT id FROM experimenter WHERE omename = 'alice'");
        for (int p = 1; p <= 3; p++) {
            long project = insert(c, "INSERT INTO project (name, owner_id) VALUES (?, ?) RETURNING id",
                    "Project " + p, owner);
            long dataset = insert(c, "INSERT INTO dataset (name, owner_id) VALUES (?, ?) RETURNING id",
                    "Dataset " + p, owner);
            link(c, "projectdatasetlink", project, dataset);
            for (int i = 1; i <= (p == 3 ? 4 : 3); i++) {
                long image = insert(c, "INSERT INTO image (name, owner_id) VALUES (?, ?) RETURNING id",
                        "image-" + p + "-" + i + ".tif", owner);
                link(c, "datasetimagelink", dataset, image);
            }
        }
    }

    private static long insert(Connection c, String sql, String name, long owner) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, name);
            s.setLong(2, owner);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void link(Connection c, String table, long parent, long child) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " (parent, child) VALUES (?, ?)")) {
            s.setLong(1, parent);
            s.setLong(2, child);
            s.executeUpdate();
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<Path> pidFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root, 8)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> p.endsWith("var/master/master.pid") || p.endsWith("var/master/session.pid") || p.endsWith("var/django.pid"))
                    .toList();
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isStandIn(ProcessHandle p, Path root) {
        boolean sleep = p.info().command().map(c -> c.endsWith("/sleep")).orElse(false);
        if (!sleep) {
            return false;
        }
        try {
            return Files.readSymbolicLink(Path.of("/proc", String.valueOf(p.pid()), "cwd")).startsWith(root);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
