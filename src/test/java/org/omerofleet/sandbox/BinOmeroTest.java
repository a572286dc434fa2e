package org.omerofleet.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code bin/omero} behaviour that needs no database. */
class BinOmeroTest {

    private Path dir;

    @BeforeEach
    void unpack() throws Exception {
        Path home = SandboxTestSupport.traversableTempDir("binomero-");
        dir = OmeroInstall.unzip(SandboxTestSupport.releases().zip("4.4.1"), home);
    }

    @AfterEach
    void cleanUp() throws Exception {
        OmeroInstall.stopProcesses(dir.getParent());
        Trees.delete(dir.getParent());
    }

    @Test
    void configSetGetRoundTripsAwkwardValuesAndKeepsXmlValid() throws Exception {
        List<String> values = List.of("two words", "say \"hi\" & 'bye'", "<tag>&amp;</tag>", "back\\slash \\n",
                "dollar $HOME `x`");
        for (String value : values) {
            assertEquals(0, run("config", "set", "omero.test.value", value).exitCode());
            assertEquals(value + "\n", run("config", "get", "omero.test.value").stdout());
            assertEquals(value, xmlValue("omero.test.value"));
        }
        assertEquals(0, run("config", "set", "omero.test.value").exitCode());
        assertEquals("", run("config", "get", "omero.test.value").stdout());
        assertEquals(null, xmlValue("omero.test.value"));
    }

    @Test
    void configListingHidesPasswordsUnlessAsked() throws Exception {
        run("config", "set", "omero.db.pass", "hunter2");
        run("config", "set", "omero.db.name", "omero");
        assertEquals("omero.db.name=omero\nomero.db.pass=********\n", run("config", "get").stdout());
        assertEquals("omero.db.name=omero\nomero.db.pass=hunter2\n", run("config", "get", "--show-password").stdout());
        assertEquals("hunter2\n", run("config", "get", "omero.db.pass").stdout());
    }

    @Test
    void configLoadSetsEveryKey() throws Exception {
        Path file = dir.resolve("extra.properties");
        Files.writeString(file, "# comment\nomero.db.host=db.example.org\nomero.data.dir=/OMERO data\n");
        assertEquals(0, run("config", "load", file.toString()).exitCode());
        assertEquals("omero.data.dir=/OMERO data\nomero.db.host=db.example.org\n", run("config", "get").stdout());
    }

    @Test
    void unknownSubcommandPrintsUsageAndExits2() throws Exception {
        ExecResult r = run("frobnicate");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().startsWith("usage: omero"), r.stderr());
    }

    @Test
    void webConfigMountsUnderOmeroFrom44AndAtRootBefore() throws Exception {
        assertTrue(run("web", "config", "nginx").stdout().contains("location /omero {"));
        Path old = OmeroInstall.unzip(SandboxTestSupport.releases().zip("4.3.2"), dir.getParent());
        ExecResult r = SandboxTestSupport.omero(old, null, "web", "config", "nginx");
        assertTrue(r.stdout().contains("location / {"), r.stdout());
        assertTrue(run("web", "config", "apache").stdout().contains("ProxyPass /omero "));
    }

    @Test
    void webStartStatusStopUseTheirOwnPidFile() throws Exception {
        try {
            assertEquals("Starting OMERO.web... [OK]\n", run("web", "start").stdout());
            ExecResult status = run("web", "status");
            assertEquals(0, status.exitCode());
            assertTrue(status.stdout().matches("OMERO.web status\\.\\.\\. \\[RUNNING\\] \\(PID \\d+\\)\n"),
                    status.stdout());
            assertEquals("Stopping OMERO.web... [OK]\n", run("web", "stop").stdout());
            assertEquals("Stopping OMERO.web... [NOT STARTED]\n", run("web", "stop").stdout());
            assertEquals(1, run("web", "status").exitCode());
        } finally {
            OmeroInstall.stopProcesses(dir.getParent());
        }
    }

    @Test
    void adminStartHandsThePasswordToPsqlOnlyThroughTheEnvironment() throws Exception {
        Path fakeBin = dir.getParent().resolve("fakebin");
        Files.createDirectories(fakeBin);
        Path record = dir.getParent().resolve("psql.record");
        Path psql = fakeBin.resolve("psql");
        Files.writeString(psql, "#!/bin/sh\nprintf 'argv:%s\\n' \"$*\" >> " + record + "\n"
                + "printf 'env:%s\\n' \"$PGPASSWORD\" >> " + record + "\necho OMERO4.4__0\n");
        Files.setPosixFilePermissions(psql, PosixFilePermissions.fromString("rwxr-xr-x"));
        run("config", "set", "omero.db.pass", "Sup3r-Secret");
        run("config", "set", "omero.data.dir", Files.createDirectories(dir.getParent().resolve("OMERO")).toString());
        List<String> argv = new ArrayList<>(List.of(dir.resolve("bin/omero").toString(), "admin", "start"));
        try {
            ExecResult r = LocalCommand.run(argv, dir, Map.of("PATH", fakeBin + ":/usr/bin:/bin"),
                    SandboxTestSupport.TIMEOUT);
            assertEquals(0, r.exitCode(), r.stderr());
        } finally {
            OmeroInstall.stopProcesses(dir.getParent());
        }
        List<String> lines = Files.readAllLines(record);
        assertFalse(lines.get(0).contains("Sup3r-Secret"), lines.get(0));
        assertEquals("env:Sup3r-Secret", lines.get(1));
        String script = Files.readString(dir.resolve("bin/omero"));
        for (String line : script.split("\n")) {
            if (line.contains("psql ") && !line.trim().startsWith("#")) {
                assertFalse(line.contains("PASS") || line.contains("pass"), "password near psql argv: " + line);
            }
        }
    }

    @Test
    void versionComesFromTheRelease() throws Exception {
        assertEquals("4.4.1-ice34-b3035\n", run("version").stdout());
    }

    private ExecResult run(String... args) throws Exception {
        return SandboxTestSupport.omero(dir, null, args);
    }

    private String xmlValue(String key) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("etc/grid/config.xml"))));
        NodeList props = doc.getElementsByTagName("property");
        for (int i = 0; i < props.getLength(); i++) {
            Element e = (Element) props.item(i);
            if (key.equals(e.getAttribute("name"))) {
                return e.getAttribute("value");
            }
        }
        return null;
    }
}
