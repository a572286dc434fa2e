package org.omerofleet.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole simulated OMERO fleet: one throwaway PostgreSQL cluster, one in-process SSH host per
 * name, and on each host an installed, running OMERO.server of the given release with its own
 * database and role. {@link #close()} stops every process it started and removes nothing a test
 * may still want to read.
 */
public final class OmeroSandbox implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final PostgresCluster postgres;
    private final SandboxFleet fleet;
    private final OmeroReleases releases;
    private final Map<String, DbSettings> databases;
    private final Map<String, Map<String, Object>> hostVars;

    private OmeroSandbox(PostgresCluster postgres, SandboxFleet fleet, OmeroReleases releases, Map<String, DbSettings> databases,
            Map<String, Map<String, Object>> hostVars) {
        this.postgres = postgres;
        this.fleet = fleet;
        this.releases = releases;
        this.databases = databases;
        this.hostVars = hostVars;
    }

    /**
     * Start the fleet.
     *
     * @param root     a directory for everything (made traversable: PostgreSQL may run as nobody)
     * @param versions host name to the OMERO release installed on it, e.g. {@code omero1 -> 4.3.2}
     * @param releases where release zips are built
     */
    public static OmeroSandbox start(Path root, Map<String, String> versions, OmeroReleases releases) throws IOException {
        for (String spec : versions.values()) {
            RoleLayout.refusal(spec).ifPresent(why -> {
                throw new IllegalArgumentException(why);
            });
        }
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        PostgresCluster postgres = PostgresCluster.start(root.resolve("postgres"));
        SandboxFleet fleet = null;
        try {
            fleet = SandboxFleet.start(root.resolve("fleet"), new ArrayList<>(versions.keySet()), List.of(postgres.binDir()));
            // hosts are installed four at a time: most of an install is waiting on PostgreSQL and the simulated server
            Map<String, java.util.concurrent.Future<DbSettings>> installs = new LinkedHashMap<>();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            Map<String, DbSettings> databases = new LinkedHashMap<>();
            try {
                SandboxFleet hosts = fleet;
                for (Map.Entry<String, String> host : versions.entrySet()) {
                    installs.put(host.getKey(), pool.submit(() -> installRunning(hosts.host(host.getKey()).home(), host.getKey(), host.getValue(),
                            releases, postgres)));
                }
                for (Map.Entry<String, java.util.concurrent.Future<DbSettings>> install : installs.entrySet()) {
                    databases.put(install.getKey(), install.getValue().get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while installing the sandbox hosts", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
            Map<String, Map<String, Object>> hostVars = new LinkedHashMap<>();
            versions.forEach((host, spec) -> {
                if (RoleLayout.wanted(spec)) {
                    hostVars.put(host, RoleLayout.hostVars());
                }
            });
            return new OmeroSandbox(postgres, fleet, releases, databases, hostVars);
        } catch (IOException | SQLException | RuntimeException e) {
            if (fleet != null) {
                stopServers(fleet);
                fleet.close();
            }
            postgres.close();
            throw e instanceof IOException ? (IOException) e : new IOException("cannot start the OMERO sandbox: " + e.getMessage(), e);
        }
    }

    /**
     * Install {@code version} in {@code dir} (as {@code dir/OMERO.server}) with a database and role of its
     * own named after {@code name}, and start the server.
     *
     * @return the database settings, password included
     */
    public static DbSettings installRunning(Path dir, String name, String version, OmeroReleases releases, PostgresCluster postgres)
            throws IOException, SQLException {
        String id = name.replaceAll("[^a-z0-9]", "_");
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        DbSettings db = new DbSettings("omero_" + id, "omero_" + id, "pw-" + HexFormat.of().formatHex(secret));
        if (RoleLayout.wanted(version)) {
            RoleLayout.install(dir, releases, RoleLayout.version(version), postgres, db);
            writeSuperuserPgpass(dir, postgres);
            RoleLayout.start(dir, postgres);
            return db;
        }
        OmeroInstall.install(dir, releases, version, postgres, db);
        installJavaVersion(dir);
        RoleLayout.installPython(dir);
        writeSuperuserPgpass(dir, postgres);
        startServer(dir, postgres);
        return db;
    }

    /**
     * Give the host a {@code ~/bin/java} that answers {@code java -version} with what this machine's
     * {@code java -version} printed (once per JVM), and runs the real java for anything else. Reading the
     * host's facts asks every host for its Java; 100 hosts starting a JVM each, twice a run, were a large
     * part of a chaos run's CPU. A machine without java gets no stand-in, so its hosts still have none.
     */
    static void installJavaVersion(Path home) throws IOException {
        Optional<String> version = JavaVersion.OUTPUT;
        if (version.isPresent()) {
            OmeroInstall.installCommand(home, "java", "if [ \"$*\" = -version ]; then\n    cat >&2 <<'OMERO_FLEET_JAVA_VERSION'\n"
                    + version.get() + "OMERO_FLEET_JAVA_VERSION\n    exit 0\nfi\n"
                    + "PATH=$(printf '%s' \"$PATH\" | sed 's|^[^:]*:||') exec java \"$@\"\n");
        }
    }

    /** What {@code java -version} prints on this machine, read once. */
    private static final class JavaVersion {
        static final Optional<String> OUTPUT = read();

        private static Optional<String> read() {
            try {
                ExecResult r = LocalCommand.run(List.of("/bin/sh", "-c", "java -version 2>&1"), Path.of("/"),
                        Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")), START_TIMEOUT);
                String out = r.stdout();
                boolean usable = r.ok() && out.contains(" version \"") && !out.contains("OMERO_FLEET_JAVA_VERSION");
                return usable ? Optional.of(out.endsWith("\n") ? out : out + "\n") : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Let the host's login reach the PostgreSQL superuser without a prompt, as {@code createdb -U postgres}
     * in the upgrade guide needs: a {@code ~/.pgpass} line (mode 0600) for {@code postgres} only. The OMERO
     * role itself has no {@code CREATEDB}, as on a typical host.
     */
    public static void writeSuperuserPgpass(Path home, PostgresCluster postgres) throws IOException {
        Path pgpass = home.resolve(".pgpass");
        String line = postgres.host() + ":" + postgres.port() + ":*:" + postgres.superuser() + ":" + postgres.superuserPassword() + "\n";
        Files.deleteIfExists(pgpass);
        Files.createFile(pgpass, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(pgpass, line);
    }

    private static void startServer(Path home, PostgresCluster postgres) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        // the host's PATH order (SandboxFleet): ~/bin, the cluster's own client tools, then the system's
        env.put("PATH", home.resolve("bin") + ":" + postgres.binDir() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("OMERODIR", home.resolve(OmeroInstall.LINK).toString());
        ExecResult r = LocalCommand.run(List.of(home.resolve(OmeroInstall.LINK).resolve("bin/omero").toString(), "admin", "start"), home, env,
                START_TIMEOUT);
        if (!r.ok()) {
            throw new IOException("OMERO.server did not start in " + home + ": " + r.stdout() + r.stderr());
        }
    }

    /** Grow {@code host}'s database by about {@code megabytes} MB of filler rows (for benchmarks of dump and upgrade). */
    public void pad(String host, int megabytes) throws SQLException {
        DbSettings db = database(host);
        try (Connection c = postgres.connect(db.name(), db.user(), db.password()); Statement s = c.createStatement()) {
            // about 1 KiB a row: 32 md5 hex digests
            s.execute("CREATE TABLE bench_filler AS SELECT g AS id, repeat(md5(g::text), 32) AS pad FROM generate_series(1, "
                    + Math.max(0, megabytes) * 1024 + ") g");
            // vacuumed now, not by an autovacuum worker later: one on this database during an upgrade counts as a connected
            // session, and omero_db_upgrade refuses to run beside one (reliability.md DB-08)
            s.execute("VACUUM ANALYZE bench_filler");
        }
    }

    /**
     * Write an Ansible inventory of the fleet: connection variables, and for hosts laid out as the OME role
     * deploys 5.6 ({@link RoleLayout}) where their server is; the playbooks' defaults fit the others.
     */
    public void writeInventory(Path file) throws IOException {
        fleet.writeInventory(file, hostVars);
    }

    /** {@return the inventory variables of each host that needs some (hosts in the {@link RoleLayout})} */
    public Map<String, Map<String, Object>> hostVars() {
        return hostVars;
    }

    public SandboxFleet fleet() {
        return fleet;
    }

    public PostgresCluster postgres() {
        return postgres;
    }

    public OmeroReleases releases() {
        return releases;
    }

    /** {@return the database settings of {@code host}} */
    public DbSettings database(String host) {
        DbSettings db = databases.get(host);
        if (db == null) {
            throw new IllegalArgumentException("no sandbox host " + host);
        }
        return db;
    }

    private static void stopServers(SandboxFleet fleet) {
        for (SandboxHost host : fleet.hosts()) {
            try {
                OmeroInstall.stopProcesses(host.home());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            stopServers(fleet);
            fleet.close();
        } finally {
            postgres.close();
        }
    }
}
