package org.omerofleet.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.omerofleet.inventory.InventoryLoader;
import org.omerofleet.yaml.InvalidInputException;
import sun.misc.Signal;

/**
 * Run the controller in a JVM sized for it. Started as plain {@code java -jar omero-fleet.jar}, the JVM
 * takes a quarter of the machine's memory as its heap limit and lets the heap grow with the allocation
 * rate (1.2 GB at 1000 hosts here); a bounded serial-collected heap holds the same run in a third of
 * that. So when no heap limit was given, the
 * launcher JVM starts the real one with these options, passes the terminal through, forwards INT and
 * TERM to it, and exits with its code. {@code OMERO_FLEET_JVM=inherit} (or any {@code -Xmx}) keeps
 * everything in the first JVM, and so does a run over an inventory of at most {@link #SMALL_RUN} hosts:
 * the default heap holds it easily, and one JVM start costs less than two.
 *
 * <p>The sized JVM starts from a class-data-sharing archive of the controller's own classes, written by
 * its first run into {@code ~/.cache/omero-fleet} (one per jar and Java version): later starts load
 * those classes already parsed (0.55 s to 0.37 s for a short command here).
 */
final class Relaunch {

    static final String MARK = "omero.fleet.relaunched";
    // no -XX:TieredStopAtLevel=1: it saved CPU on short runs, but without C2 the JDK's AES-GCM is several times
    // slower, and a 200 MB push to 20 hosts took 99 s and 115 s of CPU instead of 38 s and 19 s
    static final List<String> OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC");

    private Relaunch() {
    }

    /**
     * Runs over an inventory of at most this many hosts stay in the first JVM: its default heap holds them
     * with room to spare (a run's memory grows with its hosts), and a second JVM would cost its start-up,
     * about as much as the class-data-sharing archive saves.
     */
    static final int SMALL_RUN = 48;

    /** Commands and options that never contact a host: a second JVM would only add its start-up ({@code help} too, first). */
    private static final Set<String> LOCAL = Set.of("inventory", "history", "-h", "--help", "-V", "--version");

    /** {@return whether this JVM should hand over to a sized one to run {@code args}} */
    static boolean wanted(List<String> jvmArguments, Map<String, String> env, String[] args) {
        if (System.getProperty(MARK) != null || "inherit".equals(env.get("OMERO_FLEET_JVM"))) {
            return false;
        }
        if (args.length == 0 || args[0].equals("help") || Arrays.stream(args).anyMatch(LOCAL::contains)) {
            return false;
        }
        return jvmArguments.stream().noneMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize") || a.startsWith("-XX:MaxRAM"))
                && !small(args);
    }

    /**
     * {@return whether {@code args} name an inventory of at most {@link #SMALL_RUN} hosts (an upper bound of
     * the run: {@code --limit} and the play's pattern only narrow it), or one that does not load, which the
     * command itself will report}
     */
    static boolean small(String[] args) {
        Optional<Path> inventory = inventoryArgument(args);
        if (inventory.isEmpty()) {
            return false;
        }
        try {
            return new InventoryLoader().load(inventory.get()).hosts().size() <= SMALL_RUN;
        } catch (InvalidInputException | RuntimeException e) {
            return true;
        }
    }

    /** {@return the value of {@code -i}/{@code --inventory} in {@code args}, in any form picocli takes} */
    static Optional<Path> inventoryArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                break;
            }
            if ((a.equals("-i") || a.equals("--inventory")) && i + 1 < args.length) {
                return Optional.of(Path.of(args[i + 1]));
            }
            if (a.startsWith("--inventory=")) {
                return Optional.of(Path.of(a.substring("--inventory=".length())));
            }
            if (a.startsWith("-i") && a.length() > 2 && !a.startsWith("--")) {
                return Optional.of(Path.of(a.substring(a.charAt(2) == '=' ? 3 : 2)));
            }
        }
        return Optional.empty();
    }

    /** {@return the exit code of the same command in a sized JVM} */
    static int run(String[] args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(OPTIONS);
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-D" + MARK + "=true");
        Optional<Path> archive = archive(Path.of(System.getProperty("java.class.path")), System.getenv(),
                Path.of(System.getProperty("user.home")));
        Optional<Path> writing = archive.filter(a -> !Files.isRegularFile(a)).map(a -> a.resolveSibling(a.getFileName() + "." + ProcessHandle.current().pid()));
        archive.ifPresent(a -> command.addAll(sharing(a, writing)));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        // Ctrl-C reaches the whole process group; a kill aimed at this JVM alone is passed on
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), signal -> forward(child, name));
        }
        int code = child.waitFor();
        if (writing.isPresent() && Files.isRegularFile(writing.get())) {
            try {
                Files.move(writing.get(), archive.get(), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(writing.get()); // another run put its archive there first
            }
        }
        return code;
    }

    /**
     * {@return where the class-data-sharing archive for this jar and Java version lives, if the jar is a
     * file and the cache directory can be made}
     */
    static Optional<Path> archive(Path jar, Map<String, String> env, Path home) {
        try {
            if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
                return Optional.empty();
            }
            Path cache = Path.of(env.getOrDefault("XDG_CACHE_HOME", home.resolve(".cache").toString())).resolve("omero-fleet");
            Files.createDirectories(cache);
            String key = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() + "-" + System.getProperty("java.version");
            return Optional.of(cache.resolve("cds-" + key.replaceAll("[^A-Za-z0-9._-]", "_") + ".jsa"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@return the JVM options that use the archive, or that write it at exit when {@code writing} names where} */
    static List<String> sharing(Path archive, Optional<Path> writing) {
        // the JVM's notes on classes it cannot archive would otherwise go to stdout
        List<String> quiet = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        List<String> options = new ArrayList<>(quiet);
        options.add(writing.map(w -> "-XX:ArchiveClassesAtExit=" + w).orElse("-XX:SharedArchiveFile=" + archive));
        return options;
    }

    private static void forward(Process child, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(child.pid())).inheritIO().start();
        } catch (IOException e) {
            child.destroy(); // SIGTERM: the controller still stops cleanly
        }
    }
}
