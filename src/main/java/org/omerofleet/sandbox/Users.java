package org.omerofleet.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Who the JVM runs as, and how to run a command as the unprivileged {@code nobody} instead. */
final class Users {

    private static final Path STATUS = Path.of("/proc/self/status");

    private Users() {
    }

    /** {@return whether the effective uid is 0, read from {@code /proc/self/status}} */
    static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).trim().split("\\s+");
                return "0".equals(ids[1]);
            }
        }
        throw new IOException("no Uid line in " + STATUS);
    }

    /** {@return the argv prefix that drops root to nobody:nogroup with no supplementary groups} */
    static List<String> asNobody() {
        return List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");
    }
}
