package org.omerofleet.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The directory of a sandbox left running by {@code omero-fleet sandbox up}: everything the sandbox
 * makes lives in it (PostgreSQL's data, the hosts' homes, release zips, the inventory, the log of the
 * detached process), beside a marker file written before anything else and a state file naming the
 * detached process. {@link #tearDown()} stops what the sandbox started, found only through its own
 * records (the pid in the state file, PostgreSQL's pid file in {@code postgres/data}, stand-in servers
 * whose pid files or working directories lie inside), and deletes the directory; a directory without the
 * marker is never touched.
 */
public final class SandboxDirectory {

    /** The marker file: present in every directory {@code sandbox up} made, and only there. */
    public static final String MARKER = ".omero-fleet-sandbox";
    private static final String STATE = "state";

    private final Path dir;

    private SandboxDirectory(Path dir) {
        this.dir = dir;
    }

    /** Thrown for a directory that is not a sandbox's, or not one that may be made: nothing was touched. */
    public static final class NotASandboxException extends IOException {
        private static final long serialVersionUID = 1L;

        NotASandboxException(String message) {
            super(message);
        }
    }

    /**
     * Make a new sandbox directory (missing parents too), traversable by others (PostgreSQL may run as
     * nobody), with its marker.
     *
     * @throws NotASandboxException if {@code dir} exists and is not empty
     */
    public static SandboxDirectory create(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !isEmptyDirectory(abs)) {
            String why = Files.exists(abs.resolve(MARKER)) ? "a sandbox already lives there (omero-fleet sandbox down --dir " + dir + " first)"
                    : "it exists and is not empty";
            throw new NotASandboxException("cannot make a sandbox in " + dir + ": " + why);
        }
        Files.createDirectories(abs);
        Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] token = new byte[16];
        new SecureRandom().nextBytes(token);
        Files.writeString(abs.resolve(MARKER), "omero-fleet sandbox " + HexFormat.of().formatHex(token) + "\n", StandardCharsets.UTF_8);
        return new SandboxDirectory(abs);
    }

    /**
     * Open the sandbox directory {@code dir}.
     *
     * @throws NotASandboxException if it holds no marker (it was not made by {@code sandbox up})
     */
    public static SandboxDirectory open(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(abs) || !Files.isRegularFile(abs.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
            throw new NotASandboxException(dir + " is not a sandbox made by 'omero-fleet sandbox up' (no " + MARKER + " in it)");
        }
        return new SandboxDirectory(abs);
    }

    /** {@return whether {@code dir} holds a sandbox's marker} */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.toAbsolutePath().normalize().resolve(MARKER), LinkOption.NOFOLLOW_LINKS);
    }

    public Path path() {
        return dir;
    }

    /** {@return the inventory the sandbox writes once its hosts run} */
    public Path inventory() {
        return dir.resolve("inventory.yml");
    }

    /** {@return where the release zips are built} */
    public Path releases() {
        return dir.resolve("releases");
    }

    /** {@return the detached process's standard output and error} */
    public Path log() {
        return dir.resolve("sandbox.log");
    }

    /** {@return the recorded state (empty before the detached process wrote one)} */
    public Map<String, String> state() throws IOException {
        Path file = dir.resolve(STATE);
        Map<String, String> state = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return state;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                state.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return state;
    }

    /** Replace the state file atomically, so a reader never sees half of it. */
    public void writeState(Map<String, String> state) throws IOException {
        StringBuilder text = new StringBuilder();
        state.forEach((k, v) -> text.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        Path temp = dir.resolve(STATE + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, dir.resolve(STATE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@return the pid of the detached process, if it recorded one and that process still runs it} */
    public Optional<ProcessHandle> process() throws IOException {
        String pid = state().get("pid");
        if (pid == null || !pid.matches("\\d+")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(pid)).filter(p -> OmeroInstall.running(p.pid())).filter(this::servesThis);
    }

    /** A pid may have been reused: only a process whose command line names this directory is the sandbox's. */
    private boolean servesThis(ProcessHandle p) {
        try {
            String cmdline = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline"), StandardCharsets.UTF_8);
            return List.of(cmdline.split("\0")).contains(dir.toString());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@return the hosts recorded by the detached process: name to {@code port} and installed release, in order} */
    public Map<String, String> hosts() throws IOException {
        Map<String, String> hosts = new LinkedHashMap<>();
        state().forEach((k, v) -> {
            if (k.startsWith("host.")) {
                hosts.put(k.substring(5), v);
            }
        });
        return hosts;
    }

    /** {@return the home directory of sandbox host {@code name}} */
    public Path home(String name) {
        return dir.resolve("fleet/hosts").resolve(name);
    }

    /**
     * Stop whatever the sandbox left running and delete the directory. The detached process should have
     * been stopped first; this sweeps what a killed one leaves: its PostgreSQL and stand-in servers.
     *
     * @return what was found still running and stopped, one line each (empty when nothing was)
     */
    public List<String> tearDown() throws IOException {
        List<String> stopped = new ArrayList<>();
        Path bin = Path.of(state().getOrDefault("postgres_bin", PgBinaries.locate().toString()));
        if (PostgresCluster.stopLeftover(dir.resolve("postgres"), bin)) {
            stopped.add("PostgreSQL of " + dir.resolve("postgres"));
        }
        int servers = OmeroInstall.stopProcesses(dir.resolve("fleet"));
        if (servers > 0) {
            stopped.add(servers + " stand-in server process(es)");
        }
        Trees.delete(dir);
        return stopped;
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.findAny().isEmpty();
        }
    }
}
