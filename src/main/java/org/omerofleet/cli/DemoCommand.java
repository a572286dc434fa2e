package org.omerofleet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;
import org.omerofleet.sandbox.RoleLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the whole job on a local sandbox. The upgrade guide's three simulated OMERO hosts (two on
 * 4.3.2, one on 4.4.0), each behind its own SSH server with its own PostgreSQL database, are planned and
 * upgraded to 4.4.1 through the same commands a user runs; a fourth host, OMERO 5.6.3 as the OME Ansible
 * roles deploy it (virtualenv, systemd units, separate OMERO.web), is upgraded to 5.6.9; then everything
 * the demo started is stopped.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet demo",
            "  omero-fleet demo --keep --inventory-out /tmp/sandbox.yml"},
        description = "Start a sandbox fleet of 4 simulated OMERO hosts (two on 4.3.2, one on 4.4.0, one 5.6.3 deployed as the OME"
        + " Ansible roles do), write inventories/sandbox.yml, show the plan, upgrade the first three to 4.4.1 and the 5.6 host to 5.6.9,"
        + " print the recaps, and stop everything it started.")
final class DemoCommand implements Callable<Integer> {

    /** The upgrade guide's hosts, upgraded to 4.4.1; omero4 runs 5.6 and goes to 5.6.9. */
    private static final String GUIDE_HOSTS = "omero1,omero2,omero3";

    private final Services services;

    @Option(names = "--inventory-out", paramLabel = "FILE", defaultValue = "inventories/sandbox.yml",
            description = "where the sandbox inventory is written (default ${DEFAULT-VALUE})")
    Path inventoryOut;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs", description = "where run directories go (default ${DEFAULT-VALUE})")
    Path runsDir;

    @Option(names = "--keep", description = "keep the sandbox's files (hosts, database dumps) after it stops")
    boolean keep;

    DemoCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws Exception {
        Path root = Files.createTempDirectory("omero-fleet-demo");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("omero1", "4.3.2");
        versions.put("omero2", "4.3.2");
        versions.put("omero3", "4.4.0");
        versions.put("omero4", "5.6.3" + RoleLayout.SUFFIX);
        OmeroReleases releases = new OmeroReleases(root.resolve("releases"));
        say("Starting the sandbox: PostgreSQL, 4 SSH hosts, OMERO.server 4.3.2 on omero1 and omero2, 4.4.0 on omero3,"
                + " 5.6.3 on omero4 (virtualenv, systemd, separate OMERO.web, as the OME Ansible roles deploy it) (in " + root + ")");
        int code;
        try (OmeroSandbox sandbox = OmeroSandbox.start(root, versions, releases)) {
            sandbox.writeInventory(inventoryOut);
            Path zip = releases.zip("4.4.1");
            Path zip56 = releases.zip("5.6.9");
            say("Inventory written to " + inventoryOut + "; releases " + zip.getFileName() + " and " + zip56.getFileName() + " built");
            say("");
            say("$ omero-fleet plan -i " + inventoryOut + " --release " + zip.getFileName() + " --limit " + GUIDE_HOSTS);
            int planned = run("plan", "-i", inventoryOut.toString(), "--release", zip.toString(), "--limit", GUIDE_HOSTS,
                    "--runs-dir", runsDir.toString());
            if (planned != ExitCodes.OK) {
                say("the plan found blockers; not upgrading");
                return planned;
            }
            say("");
            say("$ omero-fleet upgrade -i " + inventoryOut + " --release " + zip.getFileName() + " --limit " + GUIDE_HOSTS + " --serial 1,2");
            code = run("upgrade", "-i", inventoryOut.toString(), "--release", zip.toString(), "--limit", GUIDE_HOSTS, "--serial", "1,2",
                    "--runs-dir", runsDir.toString());
            say("");
            say("$ omero-fleet upgrade -i " + inventoryOut + " --release " + zip56.getFileName() + " --limit omero4");
            int code56 = run("upgrade", "-i", inventoryOut.toString(), "--release", zip56.toString(), "--limit", "omero4",
                    "--runs-dir", runsDir.toString());
            code = code == ExitCodes.OK ? code56 : code;
        } finally {
            if (!keep) {
                deleteTree(root);
            }
        }
        say("");
        say("Sandbox stopped" + (keep ? "; its files are kept in " + root : " and removed") + ". Exit code " + code + ".");
        return code;
    }

    private int run(String... args) {
        return Main.execute(services, args);
    }

    private void say(String line) {
        services.out().println(line);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
