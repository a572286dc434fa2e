package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.omerofleet.cli.SandboxCli.cli;
import static org.omerofleet.cli.SandboxCli.column;
import static org.omerofleet.cli.SandboxCli.lastReport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.cli.SandboxCli.Run;
import org.omerofleet.sandbox.OmeroInstall;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;

/**
 * Issue 6's acceptance: {@code report} over 20 sandbox hosts in mixed states (up, down, unreachable, two
 * releases, one without backups, one refusing TCP forwarding) in every format, the schema read over JDBC
 * through SSH tunnels to a PostgreSQL that listens on 127.0.0.1 only.
 */
class FleetReportTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long CHROMIUM_TIMEOUT_SECONDS = Long.getLong("chromium.test.timeout.seconds", 120);

    static Path root;
    static OmeroSandbox sandbox;
    static Path inventory;
    static Path runs;
    static Map<String, String> versions = new LinkedHashMap<>();
    static List<String> hosts;
    static Run json;
    static Map<String, JsonNode> byHost = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("fleet-report-test");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        IntStream.rangeClosed(1, 8).forEach(i -> versions.put(String.format("h%02d", i), "4.3.2"));
        IntStream.rangeClosed(9, 15).forEach(i -> versions.put(String.format("h%02d", i), "4.4.0"));
        versions.put("down1", "4.3.2");
        versions.put("down2", "4.4.0");
        versions.put("nobackup", "4.3.2");
        versions.put("noforward", "4.4.0");
        versions.put("gone", "4.4.0");
        hosts = List.copyOf(versions.keySet());
        sandbox = OmeroSandbox.start(root, versions, new OmeroReleases(Path.of("target", "sandbox-zips")));
        inventory = root.resolve("inventory.yml");
        sandbox.writeInventory(inventory);
        runs = root.resolve("runs");

        Run backup = cli("backup", "-i", inventory.toString(), "--limit", "all:!nobackup", "-e", "allow_running=true", "-f", "10",
                "--runs-dir", root.resolve("runs-backup").toString());
        assertEquals(0, backup.exit(), backup.out());
        for (String down : List.of("down1", "down2")) {
            OmeroInstall.stopProcesses(sandbox.fleet().host(down).home());
        }
        sandbox.fleet().host("noforward").allowTcpForwarding(false);
        sandbox.fleet().host("gone").stop();

        json = report("json");
        for (JsonNode h : new ObjectMapper().readTree(root.resolve("fleet.json").toFile()).get("hosts")) {
            byHost.put(h.get("host").asText(), h);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
    }

    /** Run {@code report --format format -o fleet.<format>} over the fleet with 50 forks. */
    static Run report(String format) {
        return cli("report", "-i", inventory.toString(), "--format", format, "-o", root.resolve("fleet." + format).toString(), "-f", "50",
                "--connect-timeout", "2", "--runs-dir", runs.toString());
    }

    static String schemaOf(String host) throws Exception {
        return column(sandbox, host, sandbox.database(host).name(),
                "SELECT currentversion || '__' || currentpatch FROM dbpatch ORDER BY id DESC LIMIT 1").get(0);
    }

    @Test
    void jsonHasTheRightRowForEveryHostAndValidatesAgainstItsSchema() throws Exception {
        assertEquals(ExitCodes.UNREACHABLE, json.exit(), json.out());
        assertEquals(hosts, List.copyOf(byHost.keySet()));
        String javaLine = javaVersionLine();
        for (String host : hosts) {
            JsonNode row = byHost.get(host);
            if (host.equals("gone")) {
                assertTrue(row.get("status").asText().startsWith("UNREACHABLE: "), row.toString());
                assertEquals("", row.get("release").asText());
                continue;
            }
            assertEquals("ok", row.get("status").asText(), row.toString());
            assertEquals(versions.get(host), row.get("release").asText(), host);
            assertEquals(schemaOf(host), row.get("schema").asText(), host);
            assertEquals(host.startsWith("down") ? "stopped" : "running", row.get("server").asText(), host);
            assertEquals(host.equals("nobackup"), row.get("newest_backup").asText().isEmpty(), host + ": " + row);
            assertTrue(row.get("postgresql").asText().matches("\\d+\\.\\d+.*"), row.toString());
            assertTrue(javaLine.contains("\"" + row.get("java").asText() + "\""), host + ": " + row.get("java") + " not in " + javaLine);
            assertFalse(row.get("db_size").asText().isEmpty(), row.toString());
        }

        Schema schema;
        try (InputStream in = FleetReportTest.class.getResourceAsStream("/org/omerofleet/report/fleet-report.schema.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        JsonNode document = new ObjectMapper().readTree(root.resolve("fleet.json").toFile());
        assertEquals(List.of(), schema.validate(document));
        ((ObjectNode) document.get("hosts").get(0)).remove("java");
        assertFalse(schema.validate(document).isEmpty(), "a row without its java column is invalid");
    }

    @Test
    void schemaComesOverJdbcThroughAnSshTunnelToTheDatabaseOnTheHostsLoopback() throws Exception {
        var postgres = sandbox.postgres();
        try (var c = postgres.connect("postgres", postgres.superuser(), postgres.superuserPassword()); var s = c.createStatement();
             var rs = s.executeQuery("SHOW listen_addresses")) {
            rs.next();
            assertEquals("127.0.0.1", rs.getString(1), "the sandbox database listens on loopback only");
        }
        for (String host : hosts) {
            if (host.equals("gone") || host.equals("noforward")) {
                continue;
            }
            assertEquals("jdbc", byHost.get(host).get("schema_source").asText(), host);
            assertEquals(schemaOf(host), byHost.get(host).get("schema").asText(), host);
            assertTrue(sandbox.fleet().host(host).forwardedTo().contains("127.0.0.1:" + postgres.port()),
                    host + "'s SSH server forwarded no connection to the database: " + sandbox.fleet().host(host).forwardedTo());
        }
    }

    @Test
    void aHostThatRefusesTcpForwardingIsReadByPsqlOnTheHostAndSaysWhy() throws Exception {
        JsonNode row = byHost.get("noforward");
        assertEquals("psql", row.get("schema_source").asText(), row.toString());
        assertEquals(schemaOf("noforward"), row.get("schema").asText());
        assertEquals(List.of(), sandbox.fleet().host("noforward").forwardedTo());
        String why = lastReport(runs, "noforward").get("report").get("omero").get("jdbc_error").asText();
        assertTrue(why.startsWith("JDBC through an SSH tunnel to 127.0.0.1:" + sandbox.postgres().port() + " failed: "), why);
    }

    @Test
    void tableAndCsvListEveryHostWithTheSameColumns() throws Exception {
        assertEquals(ExitCodes.UNREACHABLE, report("table").exit());
        List<String> table = Files.readAllLines(root.resolve("fleet.table"));
        assertTrue(table.get(0).matches("HOST +STATUS +RELEASE +LAYOUT +SCHEMA +SCHEMA SOURCE +SERVER +POSTGRESQL +JAVA +DB SIZE +INSTALL FREE"
                + " +BACKUP FREE +NEWEST BACKUP +BACKUP AGE +DRIFT +OFF TARGET"), table.get(0));
        assertEquals(hosts.size() + 1, table.indexOf(""), "the host table, then a blank line before the drift:\n" + String.join("\n", table));
        String all = String.join("\n", table);
        assertTrue(table.stream().anyMatch(l -> l.matches("h01 +ok +4\\.3\\.2 +V4 +OMERO4\\.3__0 +jdbc +running .*")), all);
        assertTrue(table.stream().anyMatch(l -> l.matches("down2 +ok +4\\.4\\.0 +V4 +OMERO4\\.4__0 +jdbc +stopped .*")), all);
        assertTrue(table.stream().anyMatch(l -> l.matches("noforward +ok +4\\.4\\.0 +V4 +OMERO4\\.4__0 +psql +running .*")), all);
        assertTrue(table.stream().anyMatch(l -> l.matches("nobackup +ok .* +- +- *")), all);
        assertTrue(table.stream().anyMatch(l -> l.matches("gone +UNREACHABLE: .*")), all);

        assertEquals(ExitCodes.UNREACHABLE, report("csv").exit());
        List<String> csv = Files.readAllLines(root.resolve("fleet.csv"));
        assertEquals("host,status,release,layout,schema,schema_source,server,postgresql,java,db_size,install_free,backup_free,newest_backup,"
                + "backup_age,drift,off_target", csv.get(0));
        assertEquals(hosts, csv.stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList());
    }

    @Test
    void headlessChromiumFindsEveryHostInTheHtmlReport() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + ": apt-get install chromium (.ci/run does) to open the HTML report in a browser");
        assertEquals(ExitCodes.UNREACHABLE, report("html").exit());
        String page = root.resolve("fleet.html").toUri().toString();
        String dom = chromium("--dump-dom", page);
        for (String host : hosts) {
            assertTrue(dom.contains("<td>" + host + "</td>"), host + " is not in the rendered page:\n" + dom);
        }
        assertTrue(dom.contains("4.3.2 / OMERO4.3__0") && dom.contains("4.4.0 / OMERO4.4__0"), "the chart of releases");
        assertTrue(dom.matches("(?s).*<td>nobackup</td>.*<td class=\"bad wrap\">none</td>.*"), "a host without a backup stands out");
        Path screenshot = Path.of("target", "fleet-report-20-hosts.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        chromium("--screenshot=" + screenshot, "--window-size=1400,1000", page);
        assertTrue(Files.size(screenshot) > 10_000, "a screenshot for a person to look at: " + screenshot);
    }

    /** {@return what {@code java -version} prints on this machine, where the sandbox hosts' shells run} */
    private static String javaVersionLine() throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "java -version 2>&1").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
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
