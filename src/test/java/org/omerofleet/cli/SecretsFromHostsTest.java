package org.omerofleet.cli;

import static org.omerofleet.cli.SandboxCli.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.cli.SandboxCli.Run;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;

/**
 * Issue 12 item 2 on a sandbox host: secrets that only the host knows (its config.xml) never reach the
 * console, the journal, the host logs or the report, even with {@code --diff}.
 */
class SecretsFromHostsTest {

    private static final String LDAP_SECRET = "Ld&p<canary>" + Long.toHexString(System.nanoTime());
    private static final String LDAP_SECRET_XML = LDAP_SECRET.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    private static final String TOKEN = "tok-canary-" + Long.toHexString(System.nanoTime());

    static Path root;
    static OmeroSandbox sandbox;
    static Path inventory;
    static OmeroReleases releases;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("secrets-from-hosts-test");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        releases = new OmeroReleases(Path.of("target", "sandbox-zips"));
        sandbox = OmeroSandbox.start(root, Map.of("omero1", "4.4.0"), releases);
        inventory = root.resolve("inventory.yml");
        sandbox.writeInventory(inventory);
        // settings an operator may have: an LDAP password with XML escapes, and a token
        Path config = sandbox.fleet().host("omero1").home().resolve("OMERO.server/etc/grid/config.xml");
        String xml = Files.readString(config);
        int dbPass = xml.indexOf("<property name=\"omero.db.pass\"");
        assertTrue(dbPass > 0, xml);
        Files.writeString(config, xml.substring(0, dbPass)
                + "<property name=\"omero.ldap.password\" value=\"" + LDAP_SECRET_XML + "\"/>\n    "
                + "<property name=\"omero.web.API_Token\" value=\"" + TOKEN + "\"/>\n    "
                + xml.substring(dbPass));
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
    }

    @Test
    void SEC05_configPasswordsNeverShowInCheckDiffOutput() throws Exception {
        Path runs = root.resolve("runs-check");
        Run check = cli("upgrade", "-i", inventory.toString(), "--release", releases.zip("4.4.1").toString(), "--check", "--diff",
                "--runs-dir", runs.toString());
        assertEquals(0, check.exit(), check.out());
        assertTrue(check.out().matches("(?s).*\\+[^\\n]*omero\\.db\\.name[^\\n]*\n.*"), "the diff is still shown:\n" + check.out());
        assertTrue(check.out().matches("(?s).*\\+[^\\n]*omero\\.db\\.pass[^\\n]*\\*\\*\\*\\*\\*\\*\\*\\*.*"),
                "the password's line is shown masked:\n" + check.out());

        List<String> secrets = List.of(sandbox.database("omero1").password(), LDAP_SECRET, LDAP_SECRET_XML, TOKEN);
        List<String> leaks = new ArrayList<>();
        for (String secret : secrets) {
            if (check.out().contains(secret)) {
                leaks.add("console");
            }
        }
        List<Path> written;
        try (Stream<Path> walk = Files.walk(runs)) {
            written = walk.filter(Files::isRegularFile).toList();
        }
        assertTrue(written.stream().anyMatch(p -> p.getFileName().toString().equals("journal.log")), written.toString());
        assertTrue(written.stream().anyMatch(p -> p.getFileName().toString().equals("report.json")), written.toString());
        assertTrue(written.stream().anyMatch(p -> p.getParent().getFileName().toString().equals("hosts")), written.toString());
        for (Path file : written) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    leaks.add(runs.relativize(file).toString());
                }
            }
        }
        assertEquals(List.of(), leaks, "no secret of config.xml is written anywhere");
        assertFalse(check.out().contains("Ld&"), check.out());
    }
}
