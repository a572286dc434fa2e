package org.omerofleet.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sun.misc.Signal;

/**
 * Run the controller in a JVM sized for it. Started as plain {@code java -jar omero-fleet.jar}, the JVM
 * takes a quarter of the machine's memory as its heap limit and lets the heap grow with the allocation
 * rate (1.2 GB at 1000 hosts here); a bounded serial-collected heap holds the same run in a third of
 * that, and the C1 compiler alone halves the CPU of short runs. So when no heap limit was given, the
 * launcher JVM starts the real one with these options, passes the terminal through, forwards INT and
 * TERM to it, and exits with its code. {@code OMERO_FLEET_JVM=inherit} (or any {@code -Xmx}) keeps
 * everything in the first JVM.
 */
final class Relaunch {

    static final String MARK = "omero.fleet.relaunched";
    static final List<String> OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private Relaunch() {
    }

    /** Commands and options that never contact a host: a second JVM would only add its start-up. */
    private static final Set<String> LOCAL = Set.of("inventory", "history", "-h", "--help", "-V", "--version");

    /** {@return whether this JVM should hand over to a sized one to run {@code args}} */
    static boolean wanted(List<String> jvmArguments, Map<String, String> env, String[] args) {
        if (System.getProperty(MARK) != null || "inherit".equals(env.get("OMERO_FLEET_JVM"))) {
            return false;
        }
        if (args.length == 0 || Arrays.stream(args).anyMatch(LOCAL::contains)) {
            return false;
        }
        return jvmArguments.stream().noneMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize") || a.startsWith("-XX:MaxRAM"));
    }

    /** {@return the exit code of the same command in a sized JVM} */
    static int run(String[] args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(OPTIONS);
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-D" + MARK + "=true");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        // Ctrl-C reaches the whole process group; a kill aimed at this JVM alone is passed on
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), signal -> forward(child, name));
        }
        return child.waitFor();
    }

    private static void forward(Process child, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(child.pid())).inheritIO().start();
        } catch (IOException e) {
            child.destroy(); // SIGTERM: the controller still stops cleanly
        }
    }
}
