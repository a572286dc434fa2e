package org.omerofleet.modules.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prelude that puts the OMERO modules' commands in the login environment, run by the real /bin/sh. */
class LoginEnvironmentTest {

    @TempDir
    Path home;

    private String[] run(Map<String, Object> vars, String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", "eval \"$(cat)\" && " + command).directory(home.toFile());
        builder.environment().clear();
        builder.environment().putAll(Map.of("HOME", home.toString(), "PATH", "/usr/bin:/bin", "SHELL", "/bin/sh"));
        Process p = builder.start();
        p.getOutputStream().write(LoginEnvironment.prelude(vars).getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new String[] {String.valueOf(p.waitFor()), out, err};
    }

    @Test
    void commandsSeeTheProfilesValuesEvenWithQuotesAndWhatTheProfilePrintsIsDropped() throws Exception {
        Files.writeString(home.resolve(".profile"), "echo 'Welcome to omero1'\nexport PATH=\"$HOME/Ice-3.4.2/bin:$PATH\"\n"
                + "export PYTHONPATH=\"$HOME/it's here/lib/python\"\nICE_HOME=/opt/Ice-3.4.2; export ICE_HOME\n");
        String[] r = run(Map.of(), "printf '%s|%s|%s|%s' \"$PATH\" \"$PYTHONPATH\" \"$ICE_HOME\" \"${LD_LIBRARY_PATH-unset}\"");
        assertEquals("0", r[0], r[2]);
        String[] values = r[1].split("\\|");
        assertTrue(values[0].startsWith(home + "/Ice-3.4.2/bin:"), r[1]);
        assertEquals(home + "/it's here/lib/python", values[1]);
        assertEquals("/opt/Ice-3.4.2", values[2]);
        assertEquals("unset", values[3]);
    }

    @Test
    void omeroEnvGoesOnTopAndTheLoginShellCanBeTurnedOff() throws Exception {
        Files.writeString(home.resolve(".profile"), "export ICE_HOME=/opt/from-profile\n");
        String[] both = run(Map.of("omero_env", Map.of("ICE_HOME", "/opt/Ice 3.6 $(id)")), "printf '%s' \"$ICE_HOME\"");
        assertEquals("/opt/Ice 3.6 $(id)", both[1], both[2]);
        String[] off = run(Map.of("omero_login_env", "false"), "printf '%s' \"${ICE_HOME-unset}\"");
        assertEquals("unset", off[1], off[2]);
        assertEquals("", LoginEnvironment.prelude(Map.of("omero_login_env", false)));
    }

    @Test
    void aProfileThatKillsTheLoginShellFailsTheCommandWithTheWayOut() throws Exception {
        Files.writeString(home.resolve(".profile"), "if then fi\n");
        String[] r = run(Map.of(), "echo ran");
        assertEquals(String.valueOf(LoginEnvironment.LOGIN_FAILED), r[0], r[1] + r[2]);
        assertTrue(r[2].contains("omero_login_env: false"), r[2]);
        assertEquals("", r[1], "the command did not run");
    }

    @Test
    void anOmeroEnvThatIsNotAMappingOfShellNamesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LoginEnvironment.prelude(Map.of("omero_env", "PATH=/x")));
        assertThrows(IllegalArgumentException.class, () -> LoginEnvironment.prelude(Map.of("omero_env", Map.of("A B", "x"))));
    }
}
