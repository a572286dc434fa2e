package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.omerofleet.cli.SandboxCli.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.cli.SandboxCli.Run;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;

/**
 * Issue 16's fleet drift: {@code report} over five sandbox hosts, one of which (h3) has a setting of its
 * own and a keystore password of its own in config.xml, and one of which (h5) runs a release other than
 * the inventory's target; every format shows both, the password only masked. One fleet for the class.
 */
class FleetReportDriftTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long CHROMIUM_TIMEOUT_SECONDS = Long.getLong("chromium.test.timeout.seconds", 120);
    private static final String FLEET_KEYSTORE = "fleet-keystore-Secret-41";
    private static final String OWN_KEYSTORE = "h3-own-keystore-Secret-77";
    private static final String SECRET_SETTING = "omero.security.keyStorePassword";
    private static final String DRIFTED_SETTING = "omero.jvmcfg.percent.blitz";

    static Path root;
    static OmeroSandbox sandbox;
    static Path inventory;
    static Path runs;
    static Map<String, Run> reports = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("fleet-drift-test");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x")); // PostgreSQL may run as nobody
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("h1", "4.3.2");
        versions.put("h2", "4.4.0");
        versions.put("h3", "4.4.0");
        versions.put("h4", "4.4.0");
        versions.put("h5", "4.3.2");
        sandbox = OmeroSandbox.start(root.resolve("sandbox"), versions, new OmeroReleases(Path.of("target", "sandbox-zips")));
        for (String host : versions.keySet()) {
            boolean own = host.equals("h3");
            configSet(host, DRIFTED_SETTING, own ? "25" : "40");
            configSet(host, SECRET_SETTING, own ? OWN_KEYSTORE : FLEET_KEYSTORE);
        }
        // the group's target is 4.4.0; h1 has its own target, the release it runs; h5 has none of its own
        inventory = root.resolve("inventory.yml");
        sandbox.fleet().writeInventory(inventory, Map.of("h1", Map.of("omero_target_release", "4.3.2")));
        String yaml = Files.readString(inventory);
        Files.writeString(inventory, yaml.replace("all:\n  vars:\n", "all:\n  vars:\n    omero_target_release: '4.4.0'\n"));
        runs = root.resolve("runs");
        for (String format : List.of("table", "json", "csv", "html")) {
            reports.put(format, cli("report", "-i", inventory.toString(), "--format", format, "-o", root.resolve("fleet." + format).toString(),
                    "--runs-dir", runs.toString()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** Set {@code key} in {@code host}'s config.xml with the host's own {@code bin/omero}, as an administrator would. */
    private static void configSet(String host, String key, String value) throws Exception {
        Path server = sandbox.fleet().host(host).home().resolve("OMERO.server");
        Process p = new ProcessBuilder("/bin/sh", "-c", "cd \"$1\" && OMERODIR=$(pwd) && export OMERODIR && bin/omero config set \"$2\" \"$3\"",
                "sh", server.toString(), key, value).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void everyReportRunAskedEveryHostAndNoSecretReachedAnyFileOrOutput() throws Exception {
        for (Map.Entry<String, Run> r : reports.entrySet()) {
            assertEquals(ExitCodes.OK, r.getValue().exit(), r.getKey() + ": " + r.getValue().out());
            assertFalse(r.getValue().out().contains(OWN_KEYSTORE) || r.getValue().out().contains(FLEET_KEYSTORE), r.getValue().out());
        }
        List<Path> written;
        try (Stream<Path> walk = Stream.concat(Files.walk(runs), Files.list(root).filter(f -> f.getFileName().toString().startsWith("fleet.")))) {
            written = walk.filter(Files::isRegularFile).toList();
        }
        assertTrue(written.size() > 8, "the reports and their run directories: " + written);
        for (Path file : written) {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(OWN_KEYSTORE) || text.contains(FLEET_KEYSTORE), "a keystore password in " + file);
        }
    }

    @Test
    void jsonListsTheDriftedSettingsAndTheHostOffItsTargetAndValidatesAgainstItsSchema() throws Exception {
        JsonNode document = new ObjectMapper().readTree(root.resolve("fleet.json").toFile());
        JsonNode settings = document.get("drift").get("settings");
        assertEquals(2, settings.size(), settings.toString());
        JsonNode blitz = settings.get(0);
        assertEquals(DRIFTED_SETTING, blitz.get("setting").asText());
        assertEquals("40", blitz.get("fleet_value").asText());
        assertFalse(blitz.get("secret").asBoolean());
        assertEquals("[{\"host\":\"h3\",\"value\":\"25\"}]", blitz.get("hosts").toString());
        JsonNode keystore = settings.get(1);
        assertEquals(SECRET_SETTING, keystore.get("setting").asText());
        assertTrue(keystore.get("secret").asBoolean());
        assertEquals("********", keystore.get("fleet_value").asText());
        assertEquals("[{\"host\":\"h3\",\"value\":\"********\"}]", keystore.get("hosts").toString());

        List<String> perHost = new ArrayList<>();
        document.get("drift").get("per_host_settings").forEach(s -> perHost.add(s.asText()));
        assertTrue(perHost.containsAll(List.of("omero.data.dir", "omero.db.name", "omero.db.pass", "omero.db.user")), perHost.toString());
        assertFalse(perHost.contains("omero.db.port"), "every host's database is on the same port: " + perHost);

        assertEquals("[{\"host\":\"h5\",\"release\":\"4.3.2\",\"target_release\":\"4.4.0\",\"schema\":\"OMERO4.3__0\",\"target_schema\":\"OMERO4.4__0\"}]",
                document.get("drift").get("off_target").toString());
        for (JsonNode row : document.get("hosts")) {
            String host = row.get("host").asText();
            assertEquals(host.equals("h3") ? DRIFTED_SETTING + "=25 (fleet: 40); " + SECRET_SETTING + "=******** (not the fleet's)" : "",
                    row.get("drift").asText(), host);
            assertEquals(host.equals("h5") ? "release 4.3.2, target 4.4.0; schema OMERO4.3__0, target OMERO4.4__0" : "",
                    row.get("off_target").asText(), host);
        }

        Schema schema;
        try (InputStream in = FleetReportDriftTest.class.getResourceAsStream("/org/omerofleet/report/fleet-report.schema.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        assertEquals(List.of(), schema.validate(document));
    }

    @Test
    void tableShowsTheDriftAfterTheHosts() throws Exception {
        List<String> table = Files.readAllLines(root.resolve("fleet.table"));
        String all = String.join("\n", table);
        assertTrue(table.get(0).matches(".* BACKUP AGE +DRIFT +OFF TARGET"), table.get(0));
        assertTrue(table.stream().anyMatch(l -> l.matches("h3 +ok .* " + DRIFTED_SETTING.replace(".", "\\.") + "=25 \\(fleet: 40\\); .*")), all);
        assertTrue(table.stream().anyMatch(l -> l.matches(DRIFTED_SETTING.replace(".", "\\.") + " +40 +h3 +25")), all);
        assertTrue(table.stream().anyMatch(l -> l.matches(SECRET_SETTING.replace(".", "\\.") + " +\\*{8} +h3 +\\*{8}")), all);
        assertTrue(table.stream().anyMatch(l -> l.matches("h5 +4\\.3\\.2 +4\\.4\\.0 +OMERO4\\.3__0 +OMERO4\\.4__0")), all);
        assertFalse(table.stream().anyMatch(l -> l.matches("h1 +4\\.3\\.2 +.*OMERO.*")), "h1's own target is the release it runs:\n" + all);
    }

    @Test
    void csvHasTheDriftColumnsForEveryHost() throws Exception {
        List<String> csv = Files.readAllLines(root.resolve("fleet.csv"));
        assertTrue(csv.get(0).endsWith(",newest_backup,backup_age,drift,off_target"), csv.get(0));
        assertEquals(List.of("h1", "h2", "h3", "h4", "h5"), csv.stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList());
        String h3 = csv.get(3);
        assertTrue(h3.endsWith("," + DRIFTED_SETTING + "=25 (fleet: 40); " + SECRET_SETTING + "=******** (not the fleet's),"), h3);
        assertTrue(csv.get(5).endsWith(",,\"release 4.3.2, target 4.4.0; schema OMERO4.3__0, target OMERO4.4__0\""), csv.get(5));
        assertTrue(csv.get(1).endsWith(",,"), "h1 drifts in nothing: " + csv.get(1));
    }

    @Test
    void headlessChromiumShowsTheDriftInTheHtmlReportAndATimeAxisOnTheRunTimeline() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + ": apt-get install chromium (.ci/run does) to open the HTML report in a browser");
        String dom = chromium("--dump-dom", root.resolve("fleet.html").toUri().toString());
        assertFalse(dom.contains(OWN_KEYSTORE) || dom.contains(FLEET_KEYSTORE), dom);
        assertTrue(dom.contains("<tr><td>" + DRIFTED_SETTING + "</td><td class=\"wrap\">40</td><td>h3</td><td class=\"bad wrap\">25</td></tr>"), dom);
        assertTrue(dom.contains("<tr><td>" + SECRET_SETTING + "</td><td class=\"wrap\">********</td><td>h3</td><td class=\"bad wrap\">"
                + "******** (secret, not the fleet's)</td></tr>"), dom);
        assertTrue(dom.contains("<tr><td>h5</td><td class=\"bad\">4.3.2</td><td>4.4.0</td><td class=\"bad\">OMERO4.3__0</td><td>OMERO4.4__0</td></tr>"),
                dom);
        assertTrue(dom.matches("(?s).*<td>h3</td>.*<td class=\"bad wrap\">" + DRIFTED_SETTING.replace(".", "\\.") + "=25 \\(fleet: 40\\);.*"),
                "the host table's drift column: " + dom);
        Path screenshot = Path.of("target", "fleet-report-drift.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        chromium("--screenshot=" + screenshot, "--window-size=1600,1000", root.resolve("fleet.html").toUri().toString());
        assertTrue(Files.size(screenshot) > 10_000, "a screenshot for a person to look at: " + screenshot);

        Path runDir;
        try (Stream<Path> list = Files.list(runs)) {
            runDir = list.sorted().reduce((a, b) -> b).orElseThrow();
        }
        Path page = root.resolve("run.html");
        assertEquals(ExitCodes.OK, cli("report", "--runs", runDir.toString(), "-o", page.toString()).exit());
        String run = chromium("--dump-dom", page.toUri().toString());
        String axis = run.substring(run.indexOf("<tr class=\"time-axis\">"));
        // the unit follows the run's length (ms, s or min), which the machine's speed decides
        assertTrue(axis.matches("(?s)<tr class=\"time-axis\"><td>time</td><td><div class=\"axis\"><div class=\"tick\" style=\"left:0\\.0px\">"
                + "<span>0(\\.0)? (ms|s|min)</span>.*"), axis);
        assertTrue(axis.substring(0, axis.indexOf("</tr>")).split("class=\"tick\"").length - 1 >= 5, "at least five ticks: " + axis);
    }

    /** {@return stdout of a headless Chromium with a fresh profile, run with {@code args}} */
    private static String chromium(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(root, "chromium-profile")));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(root, "chromium", ".out");
        Path err = Files.createTempFile(root, "chromium", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(CHROMIUM_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in " + CHROMIUM_TIMEOUT_SECONDS + " s: " + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), Files.readString(err));
        return Files.readString(out);
    }
}
