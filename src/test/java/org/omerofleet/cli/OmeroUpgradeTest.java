package org.omerofleet.cli;

import static org.omerofleet.cli.SandboxCli.cli;
import static org.omerofleet.cli.SandboxCli.column;
import static org.omerofleet.cli.SandboxCli.lastReport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.cli.SandboxCli.Run;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;

/** Issue 3's acceptance on sandbox hosts with a real PostgreSQL: the upgrade guide's two paths. */
class OmeroUpgradeTest {

    static Path root;
    static OmeroSandbox sandbox;
    static Path inventory;
    static OmeroReleases releases;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("omero-upgrade-test");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        releases = new OmeroReleases(Path.of("target", "sandbox-zips"));
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("old43", "4.3.2");
        versions.put("old44", "4.4.0");
        sandbox = OmeroSandbox.start(root, versions, releases);
        inventory = root.resolve("inventory.yml");
        sandbox.writeInventory(inventory);
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
    }

    static String query(String host, String sql) throws Exception {
        return column(sandbox, host, sandbox.database(host).name(), sql).get(0);
    }

    @Test
    void upgradesBothPathsOfTheGuideTo441() throws Exception {
        Path zip = releases.zip("4.4.1");
        Path home43 = sandbox.fleet().host("old43").home();
        byte[] configBefore = Files.readAllBytes(home43.resolve("OMERO.server/etc/grid/config.xml"));
        Path runs = root.resolve("runs-upgrade");

        Run plan = cli("plan", "-i", inventory.toString(), "--release", zip.toString(), "--runs-dir", root.resolve("runs-plan").toString());
        assertEquals(0, plan.exit(), plan.out());
        assertTrue(plan.out().matches("(?s).*old43 +4\\.3\\.2 +OMERO4\\.3__0 +4\\.4\\.1 +OMERO4\\.4__0 +yes +ready.*"), plan.out());
        assertTrue(plan.out().matches("(?s).*old44 +4\\.4\\.0 +OMERO4\\.4__0 +4\\.4\\.1 +OMERO4\\.4__0 +no +ready.*"), plan.out());
        assertTrue(plan.out().contains("old43: would run sql/psql/OMERO4.4__0/OMERO4.3__0.sql"), plan.out());

        Map<String, String> before = new LinkedHashMap<>();
        for (String host : List.of("old43", "old44")) {
            before.put(host, SandboxCli.treeDigest(sandbox.fleet().host(host).home()) + " " + SandboxCli.databaseDigest(sandbox, host));
        }
        Run check = cli("run", "playbooks/upgrade.yml", "-i", inventory.toString(), "--check", "--diff", "-e", "release_zip=" + zip,
                "--runs-dir", root.resolve("runs-check").toString());
        assertEquals(0, check.exit(), check.out());
        assertTrue(check.out().matches("(?s).*\\+\\+\\+ after: [^\\n]*OMERO\\.server-4\\.4\\.1[^\\n]*/etc/grid/config\\.xml\n.*\\+[^\\n]*omero\\.db\\.name.*"),
                "--diff shows what config.xml of the new release would become:\n" + check.out());
        for (String host : List.of("old43", "old44")) {
            assertEquals(before.get(host), SandboxCli.treeDigest(sandbox.fleet().host(host).home()) + " " + SandboxCli.databaseDigest(sandbox, host),
                    host + ": --check changed no file and no row (checksums of the home directory and of every table)");
        }
        assertEquals("OMERO4.3__0", query("old43", "SELECT currentversion || '__' || currentpatch FROM dbpatch ORDER BY id DESC LIMIT 1"));
        assertTrue(home43.resolve("OMERO.server").toRealPath().getFileName().toString().startsWith("OMERO.server-4.3.2"),
                "check mode changed nothing");

        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--release", zip.toString(), "--runs-dir", runs.toString());
        assertEquals(0, upgrade.exit(), upgrade.out());

        assertEquals("OMERO4.4__0|Database updated.|t", query("old43",
                "SELECT currentversion || '__' || currentpatch || '|' || message || '|' || CASE WHEN finished IS NULL THEN 'f' ELSE 't' END"
                        + " FROM dbpatch ORDER BY id DESC LIMIT 1"));
        assertEquals("OMERO4.4__0", query("old44", "SELECT currentversion || '__' || currentpatch FROM dbpatch ORDER BY id DESC LIMIT 1"));
        Path current = home43.resolve("OMERO.server").toRealPath();
        assertTrue(current.getFileName().toString().startsWith("OMERO.server-4.4.1"), current.toString());
        assertEquals(new String(configBefore, StandardCharsets.UTF_8), Files.readString(current.resolve("etc/grid/config.xml")));
        assertTrue(Files.exists(current.resolve("var/master/master.pid")), "the new server runs");

        JsonNode old43 = lastReport(runs, "old43");
        assertEquals("SUCCEEDED", old43.get("state").asText());
        assertEquals("4.3.2", old43.get("report").get("release_before").asText());
        assertEquals("4.4.1", old43.get("report").get("release_after").asText());
        assertEquals("OMERO4.4__0", old43.get("report").get("schema_after").asText());
        Path backup = Path.of(old43.get("report").get("backup_path").asText());
        assertTrue(Files.isRegularFile(backup), backup.toString());
        assertEquals(home43.resolve("omero-backups").toRealPath(), backup.getParent(), "backup_dir is relative to the login directory");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        assertEquals(old43.get("report").get("backup_sha256").asText(),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(backup))));
        Process readBack = new ProcessBuilder("pg_restore", "-l", backup.toString()).redirectErrorStream(true).start();
        String toc = new String(readBack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, readBack.waitFor(), toc);
        assertTrue(toc.contains("TABLE DATA public dbpatch"), toc);

        JsonNode old44 = lastReport(runs, "old44");
        assertEquals("SUCCEEDED", old44.get("state").asText());
        boolean dbStepRan = false;
        for (JsonNode step : old44.get("steps")) {
            if (step.get("module").asText().equals("omero_db_upgrade")) {
                dbStepRan |= !step.get("status").asText().equals("SKIPPED");
            }
        }
        assertFalse(dbStepRan, "4.4.0 -> 4.4.1 needs no database script");

        Run again = cli("upgrade", "-i", inventory.toString(), "--release", zip.toString(), "--runs-dir", runs.toString());
        assertEquals(0, again.exit(), again.out());
        assertEquals("UP_TO_DATE", lastReport(runs, "old43").get("state").asText());

        Run history = cli("history", "--runs-dir", runs.toString());
        assertEquals(0, history.exit(), history.out());
        assertEquals(3, history.out().lines().count(), "a header and the two upgrade runs: " + history.out());
        assertTrue(history.out().lines().skip(1).allMatch(l -> l.contains("upgrade.yml")), history.out());
        Run hostHistory = cli("history", "--runs-dir", runs.toString(), "--host", "old43", "--since", "1d");
        assertTrue(hostHistory.out().matches("(?s).*SUCCEEDED +4\\.3\\.2 -> 4\\.4\\.1 +OMERO4\\.3__0 -> OMERO4\\.4__0 .*"), hostHistory.out());
        assertTrue(hostHistory.out().contains("UP_TO_DATE"), hostHistory.out());

        Path page = root.resolve("run.html");
        Path firstRun;
        try (Stream<Path> list = Files.list(runs)) {
            firstRun = list.sorted().findFirst().orElseThrow();
        }
        assertEquals(0, cli("report", "--runs", firstRun.toString(), "-o", page.toString()).exit());
        String html = Files.readString(page);
        assertTrue(html.contains("<td class=\"state-SUCCEEDED\">SUCCEEDED</td>"), html);
        assertTrue(html.contains("title=\"Upgrade the database: CHANGED"), html);
        assertFalse(html.contains("http://") || html.contains("https://"), "the page fetches nothing");
    }

    @Test
    void reportListsEveryHostInEachFormatAndAnUnreachableHostAsARow() throws Exception {
        Path inv = root.resolve("with-a-dead-host.yml");
        Files.writeString(inv, Files.readString(inventory) + "        gone:\n          ansible_host: 127.0.0.1\n          ansible_port: 1\n");
        Run json = cli("report", "-i", inv.toString(), "--format", "json", "--connect-timeout", "2", "--runs-dir", root.resolve("runs-report").toString());
        assertEquals(ExitCodes.UNREACHABLE, json.exit(), json.out());
        String text = json.out().substring(json.out().indexOf("{\n  \"schema\""));
        JsonNode hosts = new ObjectMapper().readTree(text.substring(0, text.lastIndexOf('}') + 1)).get("hosts");
        Map<String, JsonNode> byHost = new LinkedHashMap<>();
        hosts.forEach(h -> byHost.put(h.get("host").asText(), h));
        assertEquals(java.util.Set.of("old43", "old44", "gone"), byHost.keySet());
        assertTrue(byHost.get("gone").get("status").asText().startsWith("UNREACHABLE"), byHost.get("gone").toString());
        assertEquals("ok", byHost.get("old44").get("status").asText());
        assertTrue(byHost.get("old44").get("schema").asText().startsWith("OMERO4.4__0"));
        assertEquals("running", byHost.get("old44").get("server").asText());
        Path csv = root.resolve("fleet.csv");
        assertEquals(ExitCodes.UNREACHABLE, cli("report", "-i", inv.toString(), "--format", "csv", "-o", csv.toString(), "--connect-timeout", "2",
                "--runs-dir", root.resolve("runs-report").toString()).exit());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("host,status,release,layout,schema,schema_source,server,postgresql,java,db_size,install_free,backup_free,newest_backup,backup_age,drift,off_target", lines.get(0));
        assertEquals(4, lines.size(), lines.toString());
        Path html = root.resolve("fleet.html");
        cli("report", "-i", inv.toString(), "--format", "html", "-o", html.toString(), "--connect-timeout", "2", "--runs-dir", root.resolve("runs-report").toString());
        String page = Files.readString(html);
        assertTrue(page.contains("<td>old44</td>") && page.contains("<td>gone</td>"), page);
        assertFalse(page.contains("http://") || page.contains("https://"), "the page fetches nothing");
    }

    @Test
    void runsAreStoredInThePostgresqlHistoryAndReadBackWithoutShowingItsPassword() throws Exception {
        var pg = sandbox.postgres();
        try (Connection c = pg.connect("postgres", pg.superuser(), pg.superuserPassword()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE fleet_history");
        }
        String url = "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/fleet_history?user=" + pg.superuser() + "&password=" + pg.superuserPassword();
        Run plan = cli("plan", "-i", inventory.toString(), "--release", releases.zip("4.4.1").toString(), "--results-db", url,
                "--runs-dir", root.resolve("runs-db").toString());
        assertEquals(0, plan.exit(), plan.out());
        Run history = cli("history", "--results-db", url);
        assertEquals(0, history.exit(), history.out());
        assertTrue(history.out().contains("plan.yml"), history.out());
        Run host = cli("history", "--results-db", url, "--host", "old44");
        assertTrue(host.out().contains("UP_TO_DATE"), host.out());
        assertFalse(plan.out().contains(pg.superuserPassword()) || history.out().contains(pg.superuserPassword()));
        Run unreachable = cli("plan", "-i", inventory.toString(), "--release", releases.zip("4.4.1").toString(),
                "--results-db", "jdbc:postgresql://127.0.0.1:1/none?user=x&password=do-not-print-me", "--runs-dir", root.resolve("runs-db").toString());
        assertEquals(ExitCodes.INVALID_INPUT, unreachable.exit(), unreachable.out());
        assertFalse(unreachable.out().contains("do-not-print-me"), unreachable.out());
    }

    @Test
    void omeroConfigRegeneratesTheWebServerStanzaMountedOnOmero() throws Exception {
        Path pb = root.resolve("webconfig.yml");
        Files.writeString(pb, """
                - hosts: old44
                  gather_facts: false
                  tasks:
                    - omero_config: {from: OMERO.server, to: OMERO.server, web_config: nginx, web_config_dest: omero-nginx.conf}
                """);
        Run first = cli("run", pb.toString(), "-i", inventory.toString(), "--runs-dir", root.resolve("runs-web").toString());
        assertEquals(0, first.exit(), first.out());
        String stanza = Files.readString(sandbox.fleet().host("old44").home().resolve("omero-nginx.conf"));
        assertTrue(stanza.contains("location /omero"), stanza);
        Run again = cli("run", pb.toString(), "-i", inventory.toString(), "--runs-dir", root.resolve("runs-web").toString());
        assertTrue(again.out().matches("(?s).*old44 +: ok=1 +changed=0.*"), again.out());
    }
}
