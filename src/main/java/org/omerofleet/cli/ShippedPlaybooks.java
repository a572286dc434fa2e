package org.omerofleet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Find the playbook a command runs: {@code --playbook} when given, else {@code playbooks/<name>} in the
 * working directory (so an admin's edited copy wins), else the copy shipped inside the jar, unpacked
 * to a temporary directory.
 */
final class ShippedPlaybooks {

    private ShippedPlaybooks() {
    }

    static Path locate(String name, Path override) {
        if (override != null) {
            return override;
        }
        Path local = Path.of("playbooks", name);
        if (Files.isRegularFile(local)) {
            return local;
        }
        try (InputStream in = ShippedPlaybooks.class.getResourceAsStream("/org/omerofleet/playbooks/" + name)) {
            if (in == null) {
                throw new UsageException("no playbook named " + name + " in ./playbooks or in the jar");
            }
            Path dir = Files.createTempDirectory("omero-fleet-playbooks");
            Path file = dir.resolve(name);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the shipped playbook " + name, e);
        }
    }
}
