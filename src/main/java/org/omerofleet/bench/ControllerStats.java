package org.omerofleet.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What this controller process cost: CPU time, peak resident memory and peak threads, printed by
 * {@code run --stats} as one line that {@code bench} reads back.
 *
 * @param cpuSeconds   user + system CPU of the whole JVM so far
 * @param peakRssBytes the kernel's high-water mark of resident memory (VmHWM), -1 where unknown
 * @param peakThreads  the most live threads at once
 */
public record ControllerStats(double cpuSeconds, long peakRssBytes, int peakThreads) {

    public static final String PREFIX = "controller-stats:";

    /** {@return the figures of the running JVM} */
    public static ControllerStats current() {
        double cpu = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            cpu = os.getProcessCpuTime() / 1e9;
        }
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            rss = -1;
        }
        return new ControllerStats(cpu, rss, ManagementFactory.getThreadMXBean().getPeakThreadCount());
    }

    /** {@return the machine-readable line} */
    public String line() {
        return String.format(Locale.ROOT, "%s cpu_s=%.2f peak_rss_bytes=%d peak_threads=%d", PREFIX, cpuSeconds, peakRssBytes, peakThreads);
    }

    /** {@return the figures read back from {@link #line()}} */
    public static ControllerStats parse(String line) {
        String[] f = line.substring(PREFIX.length()).trim().split("\\s+");
        return new ControllerStats(Double.parseDouble(value(f[0])), Long.parseLong(value(f[1])), Integer.parseInt(value(f[2])));
    }

    private static String value(String field) {
        return field.substring(field.indexOf('=') + 1);
    }
}
