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
        assertEquals(Optional.of("s3cret word"), options(file, false).becomePassword(Map.of("ANSIBLE_BECOME_PASS", "from-env"), AnsibleConfig.empty()));
    }

    @Test
    void anExecutablePasswordFileIsRunAndItsOutputIsThePassword() throws Exception {
        Path script = Files.writeString(dir.resolve("pw.sh"), "#!/bin/sh\nprintf ' from script \\n'\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        assertEquals(Optional.of(" from script "), options(script, false).becomePassword(Map.of(), AnsibleConfig.empty()));
    }

    @Test
    void anEmptyOrMissingPasswordFileIsAUsageError() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), " \n", StandardCharsets.UTF_8);
        assertTrue(assertThrows(UsageException.class, () -> options(empty, false).becomePassword(Map.of(), AnsibleConfig.empty())).getMessage()
                .contains("become password from " + empty + " is empty"));
        assertThrows(UsageException.class, () -> options(dir.resolve("absent"), false).becomePassword(Map.of(), AnsibleConfig.empty()));
    }

    @Test
    void withoutOptionsAnsibleSudoPassThenAnsibleBecomePassGiveIt() {
        assertEquals(Optional.of("b"), options(null, false).becomePassword(Map.of("ANSIBLE_BECOME_PASS", "b"), AnsibleConfig.empty()));
        assertEquals(Optional.of("s"), options(null, false).becomePassword(Map.of("ANSIBLE_BECOME_PASS", "b", "ANSIBLE_SUDO_PASS", "s"), AnsibleConfig.empty()));
        assertEquals(Optional.empty(), options(null, false).becomePassword(Map.of(), AnsibleConfig.empty()));
    }

    @Test
    void askBecomePassWithoutATerminalSaysToUseAPasswordFile() {
        UsageException e = assertThrows(UsageException.class, () -> options(null, true).becomePassword(Map.of(), AnsibleConfig.empty()));
        assertTrue(e.getMessage().contains("--become-password-file"), e.getMessage());
    }

    /** {@return the configuration read with {@code ansible.cfg} holding {@code text} and {@code env} besides} */
    private AnsibleConfig config(String text, Map<String, String> env) throws Exception {
        Path cfg = Files.writeString(dir.resolve("ansible.cfg"), text, StandardCharsets.UTF_8);
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("ANSIBLE_CONFIG", cfg.toString());
        return AnsibleConfig.load(all, dir.resolve("home"), dir, new java.io.PrintStream(new java.io.ByteArrayOutputStream()));
    }

    @Test
    void theSudoBecomePluginsPasswordInAnsibleCfgIsTheBecomePasswordAfterTheCommandLineAndTheEnvironment() throws Exception {
        String cfg = "[defaults]\npassword = not-this-one\n[sudo_become_plugin]\npassword = from cfg ; a comment\n";
        assertEquals(Optional.of("from cfg"), options(null, false).becomePassword(Map.of(), config(cfg, Map.of())));
        assertEquals(Optional.of("b"), options(null, false).becomePassword(Map.of("ANSIBLE_BECOME_PASS", "b"), config(cfg, Map.of("ANSIBLE_BECOME_PASS", "b"))));
        assertEquals(Optional.of("s"), options(null, false).becomePassword(Map.of("ANSIBLE_SUDO_PASS", "s"), config(cfg, Map.of())));
        Path file = Files.writeString(dir.resolve("pw"), "from file\n", StandardCharsets.UTF_8);
        assertEquals(Optional.of("from file"), options(file, false).becomePassword(Map.of(), config(cfg, Map.of())));
    }

    @Test
    void aPasswordOnlyUnderDefaultsIsNotTheBecomePasswordAndTheConfigurationNeverPrintsIt() throws Exception {
        assertEquals(Optional.empty(), options(null, false).becomePassword(Map.of(), config("[defaults]\npassword = not-this-one\n", Map.of())));
        AnsibleConfig config = config("[sudo_become_plugin]\npassword = s3cret-in-cfg\n", Map.of());
        assertEquals(Optional.of("s3cret-in-cfg"), config.string("password"));
        assertTrue(!config.toString().contains("s3cret-in-cfg"), config.toString());
    }
}
