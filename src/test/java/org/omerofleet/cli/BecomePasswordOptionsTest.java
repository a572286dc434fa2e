package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the become password of the command line comes from, as ansible-playbook takes it. */
class BecomePasswordOptionsTest {

    @TempDir
    Path dir;

    private static ConnectionOptions options(Path file, boolean ask) {
        ConnectionOptions options = new ConnectionOptions();
        options.becomePasswordFile = file;
        options.askBecomePass = ask;
        return options;
    }

    @Test
    void aPasswordFileIsReadAndStrippedOfSurroundingWhiteSpace() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "  s3cret word \n\n", StandardCharsets.UTF_8);
        assertEquals(Optional.of("s3cret word"), options(file, false).becomePassword(Map.of("ANSIBLE_BECOME_PASS", "from-env")));
    }

    @Test
    void anExecutablePasswordFileIsRunAndItsOutputIsThePassword() throws Exception {
        Path script = Files.writeString(dir.resolve("pw.sh"), "#!/bin/sh\nprintf ' from script \\n'\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        assertEquals(Optional.of(" from script "), options(script, false).becomePassword(Map.of()));
    }

    @Test
    void anEmptyOrMissingPasswordFileIsAUsageError() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), " \n", StandardCharsets.UTF_8);
        assertTrue(assertThrows(UsageException.class, () -> options(empty, false).becomePassword(Map.of())).getMessage()
                .contains("become password from " + empty + " is empty"));
        assertThrows(UsageException.class, () -> options(dir.resolve("absent"), false).becomePassword(Map.of()));
    }

    @Test
    void withoutOptionsAnsibleSudoPassThenAnsibleBecomePassGiveIt() {
        assertEquals(Optional.of("b"), options(null, false).becomePassword(Map.of("ANSIBLE_BECOME_PASS", "b")));
        assertEquals(Optional.of("s"), options(null, false).becomePassword(Map.of("ANSIBLE_BECOME_PASS", "b", "ANSIBLE_SUDO_PASS", "s")));
        assertEquals(Optional.empty(), options(null, false).becomePassword(Map.of()));
    }

    @Test
    void askBecomePassWithoutATerminalSaysToUseAPasswordFile() {
        UsageException e = assertThrows(UsageException.class, () -> options(null, true).becomePassword(Map.of()));
        assertTrue(e.getMessage().contains("--become-password-file"), e.getMessage());
    }
}
