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
import sun.misc.Signal;

/**
 * Run the controller in a JVM sized for it. Started as plain {@code java -jar omero-fleet.jar}, the JVM
 * takes a quarter of the machine's memory as its heap limit and lets the heap grow with the allocation
 * rate (1.2 GB at 1000 hosts here); a bounded serial-collected heap holds the same run in a third of
 * that. So when no heap limit was given, the
 * launcher JVM starts the real one with these options, passes the terminal through, forwards INT and
 * TERM to it, and exits with its code. {@code OMERO_FLEET_JVM=inherit} (or any {@code -Xmx}) keeps
 * everything in the first JVM. The fastest start is one JVM that has the options and the archive from the
 * start, which is what the launcher script {@code bin/omero-fleet} gives: staying in a first JVM without the
 * archive was measured slower than relaunching (its classes are read and verified from the jar).
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

    /** Commands and options that never contact a host: a second JVM would only add its start-up ({@code help} too, first). */
    private static final Set<String> LOCAL = Set.of("inventory", "history", "-h", "--help", "-V", "--version");

    /** {@return whether {@code args} is a command that contacts hosts (not its help, nor a listing), as bin/omero-fleet tells} */
    static boolean contactsHosts(String[] args) {
        return args.length > 0 && HOST_COMMANDS.contains(args[0]) && Arrays.stream(args).noneMatch(NO_HOST_OPTIONS::contains);
    }

    private static final Set<String> HOST_COMMANDS = Set.of("run", "plan", "upgrade", "backup", "restore", "report", "optimize", "unlock",
            "resume", "ping", "demo");
    private static final Set<String> NO_HOST_OPTIONS = Set.of("-h", "--help", "-V", "--version", "--list-tasks", "--list-hosts",
            "--list-tags", "--syntax-check");

    /** {@return whether this JVM should hand over to a sized one to run {@code args}} */
    static boolean wanted(List<String> jvmArguments, Map<String, String> env, String[] args) {
        if (System.getProperty(MARK) != null || "inherit".equals(env.get("OMERO_FLEET_JVM"))) {
            return false;
        }
        // sandbox up starts its own sized JVM for the fleet; status and down contact no host
        if (args.length == 0 || args[0].equals("help") || args[0].equals("sandbox") || Arrays.stream(args).anyMatch(LOCAL::contains)) {
            return false;
        }
        return jvmArguments.stream().noneMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize") || a.startsWith("-XX:MaxRAM"));
    }

    /** {@return the exit code of the same command in a sized JVM} */
    static int run(String[] args) throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(OPTIONS);
        options.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        Optional<Path> archive = archive(Path.of(System.getProperty("java.class.path")), System.getenv(),
                Path.of(System.getProperty("user.home")));
        Optional<Path> writing = archive.filter(a -> !Files.isRegularFile(a)).map(a -> a.resolveSibling(a.getFileName() + "." + ProcessHandle.current().pid()));
        archive.ifPresent(a -> options.addAll(sharing(a, writing)));
        return start(options, args, archive, writing);
    }

    /** Run {@code args} in a JVM with {@code options}, then put the archive it wrote at exit, if any, in place. */
    private static int start(List<String> options, String[] args, Optional<Path> archive, Optional<Path> writing)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(options);
        command.add("-D" + MARK + "=true");
        // absolute: a class-data-sharing archive records the class path, and the child may be asked to start elsewhere
        command.addAll(List.of("-cp", absolute(System.getProperty("java.class.path")), Main.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        // Ctrl-C reaches the whole process group; a kill aimed at this JVM alone is passed on
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), signal -> forward(child, name));
        }
        int code = child.waitFor();
        if (writing.isPresent() && Files.isRegularFile(writing.get())) {
            try {
                Files.move(writing.get(), archive.get(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(writing.get()); // another run put its archive there first
            }
        }
        return code;
    }

    /** {@return a class path with every entry made absolute} */
    static String absolute(String classPath) {
        return Arrays.stream(classPath.split(java.io.File.pathSeparator)).filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().toString()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
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
