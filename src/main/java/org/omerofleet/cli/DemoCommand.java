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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the whole job on a local sandbox. Three simulated OMERO hosts (two on 4.3.2, one on
 * 4.4.0), each behind its own SSH server with its own PostgreSQL database, are planned and upgraded
 * to 4.4.1 through the same commands a user runs; then everything the demo started is stopped.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet demo",
            "  omero-fleet demo --keep --inventory-out /tmp/sandbox.yml"},
        description = "Start a sandbox fleet of 3 simulated OMERO hosts (two on 4.3.2, one on 4.4.0), write"
        + " inventories/sandbox.yml, show the plan, upgrade them to 4.4.1, print the recap, and stop everything it started.")
final class DemoCommand implements Callable<Integer> {

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
        OmeroReleases releases = new OmeroReleases(root.resolve("releases"));
        say("Starting the sandbox: PostgreSQL, 3 SSH hosts, OMERO.server 4.3.2 on omero1 and omero2, 4.4.0 on omero3 (in " + root + ")");
        int code;
        try (OmeroSandbox sandbox = OmeroSandbox.start(root, versions, releases)) {
            sandbox.writeInventory(inventoryOut);
            Path zip = releases.zip("4.4.1");
            say("Inventory written to " + inventoryOut + "; release " + zip.getFileName() + " built");
            say("");
            say("$ omero-fleet plan -i " + inventoryOut + " --release " + zip.getFileName());
            int planned = run("plan", "-i", inventoryOut.toString(), "--release", zip.toString(), "--runs-dir", runsDir.toString());
            if (planned != ExitCodes.OK) {
                say("the plan found blockers; not upgrading");
                return planned;
            }
            say("");
            say("$ omero-fleet upgrade -i " + inventoryOut + " --release " + zip.getFileName() + " --serial 1,2");
            code = run("upgrade", "-i", inventoryOut.toString(), "--release", zip.toString(), "--serial", "1,2",
                    "--runs-dir", runsDir.toString());
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
