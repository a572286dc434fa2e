package org.omerofleet.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Shared helpers: world-traversable temp dirs (the server may run as nobody), commands, queries. */
final class SandboxTestSupport {

    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("sandbox.test.timeout.seconds", 120));

    private SandboxTestSupport() {
    }

    /** A fresh directory under the system temp dir with mode 0755, so nobody can traverse it. */
    static Path traversableTempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** A stable cache for release zips, shared by test classes of one run. */
    static OmeroReleases releases() throws IOException {
        return new OmeroReleases(Path.of("target", "sandbox-zips"));
    }

    static ExecResult omero(Path dir, PostgresCluster pg, String... args) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(dir.resolve("bin/omero").toString());
        argv.addAll(List.of(args));
        // OMERODIR, as a 5.6 deployment sets it (the 5.6 CLI refuses admin and config without it), and a Python 3
        // virtualenv with omero-py first on PATH, which the 5.6 zip's own bin/omero imports (older releases ignore it)
        Map<String, String> env = new java.util.HashMap<>(pathWith(pg));
        env.put("OMERODIR", dir.toString());
        env.put("PATH", omeroPyVenv().resolve("bin") + ":" + env.get("PATH"));
        return LocalCommand.run(argv, dir.getParent(), env, TIMEOUT);
    }

    /** {@return a simulated virtualenv with omero-py, made once under target/ (its python3 only needs to be there)} */
    static synchronized Path omeroPyVenv() throws IOException {
        Path venv = Path.of("target", "sandbox-omero-py-venv").toAbsolutePath();
        if (!Files.exists(venv.resolve("bin/python3"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            RoleLayout.virtualenv(venv, "omero-py==5.19.4\nzeroc-ice==3.6.5\n");
            Files.createSymbolicLink(venv.resolve("bin/python3"), Path.of("/bin/true"));
        }
        return venv;
    }

    static ExecResult psql(PostgresCluster pg, DbSettings db, Path script, boolean onErrorStop) throws IOException {
        List<String> argv = new ArrayList<>(List.of("psql", "-X", "-h", pg.host(), "-p", String.valueOf(pg.port()),
                "-U", db.user(), "-d", db.name(), "-f", script.toString()));
        if (onErrorStop) {
            argv.addAll(1, List.of("-v", "ON_ERROR_STOP=1"));
        }
        Map<String, String> env = pathWith(pg);
        env.put("PGPASSWORD", db.password());
        return LocalCommand.run(argv, script.getParent(), env, TIMEOUT);
    }

    static Map<String, String> pathWith(PostgresCluster pg) {
        Map<String, String> env = new HashMap<>();
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        env.put("PATH", pg == null ? path : path + ":" + pg.binDir());
        return env;
    }

    /** Newest dbpatch row as {@code version__patch|message|finished-is-set}. */
    static String lastPatch(PostgresCluster pg, DbSettings db) throws SQLException {
        return queryOne(pg, db, "SELECT currentversion || '__' || currentpatch || '|' || message || '|' "
                + "|| (finished IS NOT NULL) FROM dbpatch ORDER BY id DESC LIMIT 1");
    }

    static void execute(PostgresCluster pg, DbSettings db, String sql) throws SQLException {
        try (Connection c = pg.connect(db.name(), pg.superuser(), pg.superuserPassword());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static String queryOne(PostgresCluster pg, DbSettings db, String sql) throws SQLException {
        try (Connection c = pg.connect(db.name(), pg.superuser(), pg.superuserPassword());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
