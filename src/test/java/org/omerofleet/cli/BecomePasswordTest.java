package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omerofleet.sandbox.LoopbackInventory;
import org.omerofleet.sandbox.OpenSshFleet;

/**
 * {@code -K}/{@code --become-password-file} and {@code ansible_become_password} through real OpenSSH sshd,
 * logging in as a user of this machine made for the test, whose sudo asks for its password (as on a host
 * where the login is no NOPASSWD sudoer). Making that user needs root; elsewhere the test is skipped.
 */
class BecomePasswordTest {

    static final String PASSWORD = "Correct horse 'battery' $staple";
    static Path root;
    static OpenSshFleet fleet;
    static String user;
    static Path out;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(OpenSshFleet.available(), "no /usr/sbin/sshd: install openssh-server");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "making a login whose sudo asks for a password needs root (useradd, chpasswd, /etc/sudoers.d); CI runs as root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/sudo")) && Files.isDirectory(Path.of("/etc/sudoers.d")),
                "no sudo: install sudo (.ci/run does)");
        root = Files.createTempDirectory("become-password");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        user = "ofb" + HexFormat.of().formatHex(new SecureRandom().generateSeed(5));
        Path home = Files.createDirectories(root.resolve("home"));
        run(List.of("useradd", "-M", "-d", home.toString(), "-s", "/bin/sh", user), "");
        run(List.of("chpasswd"), user + ":" + PASSWORD + "\n");
        Path sudoers = root.resolve(user);
        Files.writeString(sudoers, user + " ALL=(ALL:ALL) ALL\n", StandardCharsets.UTF_8);
        run(List.of("visudo", "-cf", sudoers.toString()), "");
        run(List.of("install", "-m", "0440", sudoers.toString(), "/etc/sudoers.d/" + user), "");
        UserPrincipal login = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        Files.setOwner(home, login);
        out = Files.createDirectories(root.resolve("out"));
        Files.setOwner(out, login);
        fleet = OpenSshFleet.start(root.resolve("fleet"), List.of("host"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        if (user != null) {
            Files.deleteIfExists(Path.of("/etc/sudoers.d", user));
            run(List.of("userdel", user), "");
        }
    }

    private static void run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, command + " failed: " + output);
    }

    record Run(int exit, String output, Path runs) {
    }

    /** Run {@code playbook} on the host as the test's login, with {@code hostVars} and the arguments given. */
    private static Run play(String name, String playbook, Map<String, Object> hostVars, String... more) throws Exception {
        return play(name, playbook, hostVars, Map.of(), more);
    }

    /** Run {@code playbook} as {@link #play(String, String, Map, String...)} does, with {@code env} added to the environment. */
    private static Run play(String name, String playbook, Map<String, Object> hostVars, Map<String, String> env, String... more) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name));
        Path inventory = dir.resolve("inventory.yml");
        LoopbackInventory.write(inventory, new LoopbackInventory.Access(user, fleet.clientKey(), fleet.knownHosts()), Map.of("host", fleet.port("host")),
                Map.of("host", hostVars));
        Path file = Files.writeString(dir.resolve("play.yml"), playbook, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("run", file.toString(), "-i", inventory.toString(), "--runs-dir", dir.resolve("runs").toString()));
        args.addAll(List.of(more));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exit = CliWithEnvironment.execute(env, print, args.toArray(new String[0]));
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8), dir.resolve("runs"));
    }

    private static String read(String file) throws IOException {
        return Files.readString(out.resolve(file), StandardCharsets.UTF_8).strip();
    }

    /** Every file the run wrote (report, journal, logs), for a secret that must not be in any of them. */
    private static String written(Path runs) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(runs)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mina", "jsch"})
    void becomePasswordFileRunsBecomeTasksThroughSudoWithThePasswordOnStdinOnly(String transport) throws Exception {
        Path passwordFile = Files.writeString(root.resolve("password-" + transport), PASSWORD + "\n", StandardCharsets.UTF_8);
        String tag = transport;
        String playbook = String.join("\n",
                "- hosts: all",
                "  gather_facts: false",
                "  tasks:",
                "    - shell: id -un > " + out + "/login-" + tag,
                "    - shell: id -un > " + out + "/root-" + tag + "; ps -eo args > " + out + "/ps-" + tag,
                "      become: true",
                // the environment travels on the command's stdin, after the password lines: it must arrive whole
                "    - shell: printf '%s|%s' \"$GREETING\" \"$(cat)\" > " + out + "/stdin-" + tag,
                "      become: true",
                "      environment:",
                "        GREETING: \"hello, {{ inventory_hostname }}\"",
                // a task that prints the password: the redactor masks it everywhere
                "    - command: cat " + passwordFile,
                "      become: true",
                "      register: echoed",
                "    - debug:",
                "        var: echoed",
                "");
        Run run = play("file-" + transport, playbook, Map.of("fleet_transport", transport), "--become-password-file", passwordFile.toString(),
                "-vvvv", "--diff");
        assertEquals(0, run.exit(), run.output());
        assertEquals(user, read("login-" + tag));
        assertEquals("root", read("root-" + tag));
        assertEquals("hello, host|", read("stdin-" + tag));
        assertFalse(read("ps-" + tag).contains(PASSWORD), "the password is in a process's arguments:\n" + read("ps-" + tag));
        assertFalse(run.output().contains(PASSWORD), run.output());
        assertFalse(written(run.runs()).contains(PASSWORD), "the password is in the run directory");
    }

    @Test
    void aWrongAnsibleBecomePasswordFailsTheTaskWithIncorrectSudoPassword() throws Exception {
        Path passwordFile = Files.writeString(root.resolve("password-right"), PASSWORD, StandardCharsets.UTF_8);
        String playbook = String.join("\n",
                "- hosts: all",
                "  gather_facts: false",
                "  tasks:",
                "    - shell: touch " + out + "/wrong-ran",
                "      become: true",
                "");
        // the host's variable wins over the command line's password, as in Ansible
        Run run = play("wrong", playbook, Map.of("ansible_become_password", "not-the-password"), "--become-password-file", passwordFile.toString());
        assertEquals(ExitCodes.FAILED_SAFELY, run.exit(), run.output());
        assertTrue(run.output().contains("Incorrect sudo password"), run.output());
        assertFalse(Files.exists(out.resolve("wrong-ran")), "the task ran although sudo refused the password");
        assertFalse(run.output().contains("not-the-password"), run.output());
    }

    @Test
    void withoutAPasswordABecomeTaskFailsWithMissingSudoPassword() throws Exception {
        String playbook = String.join("\n",
                "- hosts: all",
                "  gather_facts: false",
                "  become: true",
                "  tasks:",
                "    - shell: touch " + out + "/missing-ran",
                "");
        Run run = play("missing", playbook, Map.of());
        assertEquals(ExitCodes.FAILED_SAFELY, run.exit(), run.output());
        assertTrue(run.output().contains("Missing sudo password"), run.output());
        assertFalse(Files.exists(out.resolve("missing-ran")));
    }

    @Test
    void askBecomePassWithoutATerminalIsRefusedBeforeAnyHostIsTouched() throws Exception {
        String playbook = String.join("\n",
                "- hosts: all",
                "  gather_facts: false",
                "  tasks:",
                "    - shell: touch " + out + "/asked-ran",
                "");
        Run run = play("ask", playbook, Map.of(), "-K");
        assertEquals(ExitCodes.INVALID_INPUT, run.exit(), run.output());
        assertTrue(run.output().contains("no terminal to ask for the become password"), run.output());
        assertFalse(Files.exists(out.resolve("asked-ran")));
    }

    /** A directory only root may write to, as {@code /etc/nginx/conf.d} is. */
    private static Path rootOnlyDirectory(String name) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private static String webServerRestore(Path confD, Path kept) {
        return String.join("\n",
                "- hosts: all",
                "  gather_facts: false",
                "  tasks:",
                "    - omero_web_server:",
                "        server: nginx",
                "        state: restored",
                "        sudo: true",
                "        dest: " + confD.resolve("omero-web.conf"),
                "        backup: " + kept,
                "        existed: true",
                "        check_command: test -w " + confD,
                "        reload_command: id -un > " + confD.resolve("reloaded-by"),
                "");
    }

    @Test
    void theWebServerStanzaIsPutBackAndReloadedAsRootThroughSudoWithTheBecomePassword() throws Exception {
        Path confD = rootOnlyDirectory("conf-password");
        Path kept = Files.writeString(out.resolve("kept-password.conf"), "server { listen 4080; }\n", StandardCharsets.UTF_8);
        Path passwordFile = Files.writeString(root.resolve("password-web"), PASSWORD + "\n", StandardCharsets.UTF_8);
        Run run = play("web-password", webServerRestore(confD, kept), Map.of(), "--become-password-file", passwordFile.toString(), "-vvvv", "--diff");
        assertEquals(0, run.exit(), run.output());
        assertEquals("server { listen 4080; }\n", Files.readString(confD.resolve("omero-web.conf")));
        assertEquals("root", Files.readString(confD.resolve("reloaded-by")).strip());
        assertFalse(run.output().contains(PASSWORD), run.output());
        assertFalse(written(run.runs()).contains(PASSWORD), "the password is in the run directory");
    }

    @Test
    void withoutABecomePasswordTheWebServerStanzaIsNotTouchedAndTheTaskSaysSudoWantsOne() throws Exception {
        Path confD = rootOnlyDirectory("conf-missing");
        Path kept = Files.writeString(out.resolve("kept-missing.conf"), "server { listen 4081; }\n", StandardCharsets.UTF_8);
        Run run = play("web-missing", webServerRestore(confD, kept), Map.of());
        assertEquals(ExitCodes.FAILED_SAFELY, run.exit(), run.output());
        assertTrue(run.output().contains("Missing sudo password"), run.output());
        assertFalse(Files.exists(confD.resolve("omero-web.conf")));
    }

    private static String systemdStart(String unit) {
        return String.join("\n",
                "- hosts: all",
                "  gather_facts: false",
                "  tasks:",
                "    - omero_server:",
                "        server_dir: OMERO.server",
                "        state: started",
                "        systemd_unit: " + unit,
                "");
    }

    @Test
    void systemctlRunsThroughSudoWithTheHostsBecomePasswordAndAWrongOneFailsAsIncorrectSudoPassword() throws Exception {
        // no systemd runs here: systemctl itself fails, after sudo let it run as root
        Run right = play("systemd-right", systemdStart("omero-fleet-test.service"), Map.of("ansible_become_password", PASSWORD), "-vvvv");
        assertEquals(ExitCodes.FAILED_SAFELY, right.exit(), right.output());
        assertTrue(right.output().contains("did not start (systemctl rc"), right.output());
        assertFalse(right.output().contains("sudo"), "sudo refused systemctl: " + right.output());
        assertFalse(written(right.runs()).contains(PASSWORD), "the password is in the run directory");

        Run wrong = play("systemd-wrong", systemdStart("omero-fleet-test.service"), Map.of("ansible_become_password", "not-the-password"));
        assertEquals(ExitCodes.FAILED_SAFELY, wrong.exit(), wrong.output());
        assertTrue(wrong.output().contains("Incorrect sudo password"), wrong.output());

        Run none = play("systemd-none", systemdStart("omero-fleet-test.service"), Map.of());
        assertEquals(ExitCodes.FAILED_SAFELY, none.exit(), none.output());
        assertTrue(none.output().contains("sudo: a password is required"), none.output());
    }

    @Test
    void theSudoBecomePluginsPasswordInAnsibleCfgRunsBecomeTasksAndAHostsOwnPasswordWinsOverIt() throws Exception {
        Path cfg = Files.writeString(root.resolve("ansible.cfg"), "[sudo_become_plugin]\npassword = " + PASSWORD + "\n", StandardCharsets.UTF_8);
        String playbook = String.join("\n",
                "- hosts: all",
                "  gather_facts: false",
                "  tasks:",
                "    - shell: id -un > " + out + "/cfg-root",
                "      become: true",
                "");
        Run run = play("cfg", playbook, Map.of(), Map.of("ANSIBLE_CONFIG", cfg.toString()), "-vvvv");
        assertEquals(0, run.exit(), run.output());
        assertEquals("root", read("cfg-root"));
        assertFalse(run.output().contains(PASSWORD), run.output());
        assertFalse(written(run.runs()).contains(PASSWORD), "the password is in the run directory");

        Run wrong = play("cfg-wrong", playbook, Map.of("ansible_become_password", "not-the-password"), Map.of("ANSIBLE_CONFIG", cfg.toString()));
        assertEquals(ExitCodes.FAILED_SAFELY, wrong.exit(), wrong.output());
        assertTrue(wrong.output().contains("Incorrect sudo password"), wrong.output());
    }
}
