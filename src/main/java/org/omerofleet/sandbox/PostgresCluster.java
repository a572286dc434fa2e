package org.omerofleet.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Run a throwaway PostgreSQL cluster on 127.0.0.1 for the sandbox, and tear it down without trace.
 *
 * <p>The cluster lives in {@code workDir/data}, its socket in {@code workDir/run}. Authentication is
 * {@code scram-sha-256} for TCP and the Unix socket alike; the superuser password is generated and
 * handed to initdb through a file, never on a command line. PostgreSQL refuses to run as root, so when
 * the JVM is root every server command runs as {@code nobody:nogroup} through {@code setpriv}; then every
 * ancestor of {@code workDir} must be traversable by others (directories this class creates get 0755).
 */
public final class PostgresCluster implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Path binDir;
    private final Path workDir;
    private final Path dataDir;
    private final int port;
    private final String password;
    private final List<String> runAs;
    private volatile int serverVersionNum;

    private PostgresCluster(Path binDir, Path workDir, int port, String password, List<String> runAs) {
        this.binDir = binDir;
        this.workDir = workDir;
        this.dataDir = workDir.resolve("data");
        this.port = port;
        this.password = password;
        this.runAs = List.copyOf(runAs);
    }

    /** Start a cluster in {@code workDir} with binaries from {@link PgBinaries#locate()}. */
    public static PostgresCluster start(Path workDir) throws IOException {
        return start(workDir, PgBinaries.locate());
    }

    /** Start a cluster in {@code workDir} with the server binaries in {@code binDir}. */
    public static PostgresCluster start(Path workDir, Path binDir) throws IOException {
        Path work = workDir.toAbsolutePath().normalize();
        boolean root = Users.isRoot();
        createTraversable(work);
        if (root) {
            requireTraversable(work);
        }
        PostgresCluster cluster = new PostgresCluster(binDir, work, freePort(), generatePassword(),
                root ? Users.asNobody() : List.of());
        cluster.initdb(root);
        cluster.configure(root);
        try {
            cluster.pgCtl("start", "-w", "-t", "60", "-l", work.resolve("log/postgres.log").toString());
        } catch (IOException e) {
            cluster.deleteQuietly();
            throw new IOException(e.getMessage() + "\nserver log:\n" + cluster.serverLog(), e);
        }
        return cluster;
    }

    /** {@return the address the server listens on, always {@code 127.0.0.1}} */
    public String host() {
        return HOST;
    }

    /** {@return the TCP port the server listens on} */
    public int port() {
        return port;
    }

    /** {@return the superuser's name, {@code postgres}} */
    public String superuser() {
        return SUPERUSER;
    }

    /** {@return the generated superuser password} */
    public String superuserPassword() {
        return password;
    }

    /** {@return the data directory} */
    public Path dataDir() {
        return dataDir;
    }

    /** {@return the directory holding psql, pg_dump and friends of the same release} */
    public Path binDir() {
        return binDir;
    }

    /** {@return a JDBC URL for database {@code db} on this cluster, with connect and socket timeouts} */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + db
                + "?connectTimeout=10&socketTimeout=300&loginTimeout=10";
    }

    /** {@return a new JDBC connection to {@code db} as {@code user}} */
    public Connection connect(String db, String user, String userPassword) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", userPassword);
        return DriverManager.getConnection(jdbcUrl(db), props);
    }

    /** Create a login role with a password. */
    public void createRole(String name, String rolePassword) throws SQLException {
        superuserExecute("CREATE ROLE " + Sql.identifier(name) + " LOGIN PASSWORD " + Sql.literal(rolePassword));
    }

    /**
     * Create a UTF8 database owned by {@code owner}. On PostgreSQL 15+ it is copied file by file
     * ({@code STRATEGY FILE_COPY}) rather than through the WAL, the default there: with fsync off the
     * checkpoint it costs is cheap, while logging every page of the template costs about twice the
     * server's CPU per database (100 chaos hosts create 100 databases).
     */
    public void createDatabase(String name, String owner) throws SQLException {
        superuserExecute("CREATE DATABASE " + Sql.identifier(name) + " OWNER " + Sql.identifier(owner)
                + " ENCODING 'UTF8' TEMPLATE template0" + (serverVersionNum() >= 150000 ? " STRATEGY FILE_COPY" : ""));
    }

    private int serverVersionNum() throws SQLException {
        if (serverVersionNum == 0) {
            try (Connection c = connect("postgres", SUPERUSER, password); Statement s = c.createStatement();
                 var rs = s.executeQuery("SHOW server_version_num")) {
                rs.next();
                serverVersionNum = Integer.parseInt(rs.getString(1));
            }
        }
        return serverVersionNum;
    }

    /** {@return the postmaster's pid while the cluster runs} */
    public Optional<Long> postmasterPid() throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    }

    /** Stop the server ({@code pg_ctl stop -m fast}), make sure no process is left, delete the data. */
    @Override
    public void close() throws IOException {
        Optional<Long> pid = postmasterPid();
        try {
            pgCtl("stop", "-m", "fast", "-w", "-t", String.valueOf(STOP_WAIT.toSeconds()));
        } finally {
            pid.flatMap(ProcessHandle::of).ifPresent(PostgresCluster::killHard);
            deleteQuietly();
        }
    }

    /**
     * Stop a cluster of {@code workDir} whose controlling JVM died without closing it (its postmaster
     * still runs), and delete its data. Only a postmaster whose pid file lies in {@code workDir/data} is
     * touched; a directory without one is only deleted.
     *
     * @return whether a running postmaster was found and stopped
     */
    public static boolean stopLeftover(Path workDir, Path binDir) throws IOException {
        Path work = workDir.toAbsolutePath().normalize();
        PostgresCluster cluster = new PostgresCluster(binDir, work, 0, "", Users.isRoot() ? Users.asNobody() : List.of());
        // a stale pid file may name a process that is no longer a postmaster: that one is left alone
        Optional<ProcessHandle> postmaster = cluster.postmasterPid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        if (postmaster.isEmpty()) {
            cluster.deleteQuietly();
            return false;
        }
        try {
            cluster.pgCtl("stop", "-m", "immediate", "-w", "-t", String.valueOf(STOP_WAIT.toSeconds()));
        } finally {
            postmaster.filter(ProcessHandle::isAlive).ifPresent(PostgresCluster::killHard);
            cluster.deleteQuietly();
        }
        return true;
    }

    private void superuserExecute(String sql) throws SQLException {
        try (Connection c = connect("postgres", SUPERUSER, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private void initdb(boolean root) throws IOException {
        Files.createDirectories(dataDir);
        Files.createDirectories(workDir.resolve("run"));
        Files.createDirectories(workDir.resolve("log"));
        Path pwFile = workDir.resolve("pwfile");
        Files.deleteIfExists(pwFile);
        Files.createFile(pwFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(pwFile, password + "\n", StandardCharsets.UTF_8);
        if (root) {
            for (Path p : List.of(dataDir, workDir.resolve("run"), workDir.resolve("log"), pwFile)) {
                chownNobody(p);
            }
        }
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        try {
            server(List.of(binDir.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", SUPERUSER,
                    "--pwfile=" + pwFile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"));
        } finally {
            Files.deleteIfExists(pwFile);
        }
    }

    private void configure(boolean root) throws IOException {
        String conf = String.join("\n",
                "",
                "# omero-fleet sandbox",
                "listen_addresses = '" + HOST + "'",
                "port = " + port,
                "unix_socket_directories = '" + workDir.resolve("run") + "'",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "shared_buffers = 16MB",
                "max_connections = 400", // every running simulated server holds a session, as a real one does: 100 hosts and the tools beside them
                "dynamic_shared_memory_type = mmap",
                "");
        Files.writeString(dataDir.resolve("postgresql.conf"),
                Files.readString(dataDir.resolve("postgresql.conf")) + conf);
        Path hba = dataDir.resolve("pg_hba.conf");
        Files.writeString(hba, String.join("\n",
                "# omero-fleet sandbox: passwords everywhere, loopback only",
                "local all all scram-sha-256",
                "host all all 127.0.0.1/32 scram-sha-256",
                "host all all ::1/128 scram-sha-256",
                ""));
        if (root) {
            chownNobody(hba);
        }
    }

    private void pgCtl(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString()));
        argv.addAll(List.of(args));
        server(argv);
    }

    private void server(List<String> argv) throws IOException {
        List<String> full = new ArrayList<>(runAs);
        full.addAll(argv);
        LocalCommand.check(full, workDir, Map.of("LC_ALL", "C"), COMMAND_TIMEOUT);
    }

    private String serverLog() {
        try {
            return Files.readString(workDir.resolve("log/postgres.log"));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    private void deleteQuietly() throws IOException {
        Trees.delete(dataDir);
        Trees.delete(workDir.resolve("run"));
    }

    private static void killHard(ProcessHandle postmaster) {
        postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
        postmaster.destroyForcibly();
        postmaster.onExit().orTimeout(STOP_WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static void createTraversable(Path dir) throws IOException {
        Path missing = dir;
        while (missing.getParent() != null && !Files.exists(missing.getParent())) {
            missing = missing.getParent();
        }
        boolean created = !Files.exists(dir);
        Files.createDirectories(dir);
        if (!created) {
            return;
        }
        for (Path p = dir; p != null && p.startsWith(missing); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static void requireTraversable(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("PostgreSQL runs as nobody, but " + p
                        + " is not traversable by others (chmod o+x it, or pick another workDir)");
            }
        }
    }

    static void chownNobody(Path path) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(lookup.lookupPrincipalByName("nobody"));
        GroupPrincipal group = lookup.lookupPrincipalByGroupName("nogroup");
        view.setGroup(group);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static String generatePassword() {
        SecureRandom random = new SecureRandom();
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder sb = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
