package org.omerofleet.sandbox;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The body of the detached process {@code sandbox up} leaves running: start an {@link OmeroSandbox} in a
 * {@link SandboxDirectory}, build the release zips a user may upgrade to, write the inventory and a
 * state file naming this process, then hold the fleet up until the process is told to stop (SIGTERM or
 * SIGINT), when every process the sandbox started is stopped.
 */
public final class SandboxDaemon {

    private SandboxDaemon() {
    }

    /** {@return the release of each of {@code hosts} hosts ({@code omero1}...), taking {@code releases} in turn} */
    public static Map<String, String> layout(int hosts, List<String> releases) {
        Map<String, String> versions = new LinkedHashMap<>();
        for (int i = 0; i < hosts; i++) {
            versions.put("omero" + (i + 1), releases.get(i % releases.size()));
        }
        return versions;
    }

    /**
     * Start the fleet in {@code dir} and block until this process is asked to stop.
     *
     * @param versions host name to the release installed on it
     * The process ends through its shutdown hook, which stops the fleet.
     */
    public static void serve(SandboxDirectory dir, Map<String, String> versions) throws IOException, InterruptedException {
        serve(dir, versions, 0);
    }

    /** Start the fleet in {@code dir}, each host's database grown by about {@code padMegabytes} MB of filler rows, and block until asked to stop. */
    public static void serve(SandboxDirectory dir, Map<String, String> versions, int padMegabytes) throws IOException, InterruptedException {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("state", "starting");
        state.put("pid", String.valueOf(ProcessHandle.current().pid()));
        state.put("started", Instant.now().toString());
        dir.writeState(state);
        OmeroReleases releases = new OmeroReleases(dir.releases());
        OmeroSandbox sandbox;
        try {
            sandbox = OmeroSandbox.start(dir.path(), versions, releases);
            if (padMegabytes > 0) {
                for (String host : versions.keySet()) {
                    sandbox.pad(host, padMegabytes);
                }
            }
        } catch (java.sql.SQLException e) {
            state.put("state", "failed");
            state.put("message", "cannot pad the databases: " + e.getMessage());
            dir.writeState(state);
            throw new IOException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            state.put("state", "failed");
            state.put("message", String.valueOf(e.getMessage()));
            dir.writeState(state);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(sandbox, stopped), "sandbox-stop"));
        try {
            buildZips(releases, versions);
            sandbox.writeInventory(dir.inventory());
            state.put("postgres_bin", sandbox.postgres().binDir().toString());
            state.put("postgres_port", String.valueOf(sandbox.postgres().port()));
            sandbox.postgres().postmasterPid().ifPresent(pid -> state.put("postgres_pid", String.valueOf(pid)));
            for (SandboxHost host : sandbox.fleet().hosts()) {
                state.put("host." + host.name(), host.port() + " " + versions.get(host.name()));
            }
            state.put("inventory", dir.inventory().toString());
            state.put("state", "running");
            dir.writeState(state);
        } catch (IOException | RuntimeException e) {
            state.put("state", "failed");
            state.put("message", String.valueOf(e.getMessage()));
            dir.writeState(state);
            throw e;
        }
        System.out.println("sandbox running: " + versions.size() + " hosts, inventory " + dir.inventory());
        stopped.await();
    }

    /** The zip of every installed release and of every later one, so each possible upgrade has its release at hand. */
    private static void buildZips(OmeroReleases releases, Map<String, String> versions) throws IOException {
        int oldest = Integer.MAX_VALUE;
        List<OmeroRelease> all = releases.all();
        for (String v : versions.values()) {
            oldest = Math.min(oldest, all.indexOf(releases.release(RoleLayout.version(v))));
        }
        for (OmeroRelease release : all.subList(oldest, all.size())) {
            releases.zip(release.version());
        }
    }

    private static void stop(OmeroSandbox sandbox, CountDownLatch stopped) {
        try {
            sandbox.close();
            System.out.println("sandbox stopped");
        } catch (IOException | RuntimeException e) {
            System.out.println("sandbox did not stop cleanly: " + e);
        } finally {
            stopped.countDown();
        }
    }
}
