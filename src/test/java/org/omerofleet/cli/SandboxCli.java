package org.omerofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.omerofleet.sandbox.DbSettings;
import org.omerofleet.sandbox.OmeroSandbox;

/** What the OMERO command-line tests share: run the command line, read a run's report, query a host's database. */
final class SandboxCli {

    private SandboxCli() {
    }

    /** The exit code and everything printed (stdout and stderr together). */
    record Run(int exit, String out) { }

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exit = Main.execute(args, print, print);
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    /** {@return the one run directory under {@code runs}} */
    static Path onlyRun(Path runs) throws Exception {
        try (Stream<Path> list = Files.list(runs)) {
            List<Path> dirs = list.toList();
            if (dirs.size() != 1) {
                throw new AssertionError("one run expected under " + runs + ", found " + dirs);
            }
            return dirs.get(0);
        }
    }

    /** {@return {@code host}'s entry in the report.json of the newest run under {@code runs}} */
    static JsonNode lastReport(Path runs, String host) throws Exception {
        Path runDir;
        try (Stream<Path> list = Files.list(runs)) {
            runDir = list.sorted().reduce((a, b) -> b).orElseThrow();
        }
        for (JsonNode h : new ObjectMapper().readTree(runDir.resolve("report.json").toFile()).get("hosts")) {
            if (h.get("host").asText().equals(host)) {
                return h;
            }
        }
        throw new AssertionError("no " + host + " in " + runDir);
    }

    /** {@return the first column of {@code sql} in {@code database}, as {@code host}'s OMERO role sees it} */
    static List<String> column(OmeroSandbox sandbox, String host, String database, String sql) throws Exception {
        DbSettings db = sandbox.database(host);
        List<String> values = new ArrayList<>();
        try (Connection c = sandbox.postgres().connect(database, db.user(), db.password()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** {@return a SHA-256 over every path under {@code home}: name, kind, mode, symlink target and content} */
    static String treeDigest(Path home) throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(home)) {
            paths = walk.sorted().toList();
        }
        for (Path p : paths) {
            sha.update(home.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
            if (Files.isSymbolicLink(p)) {
                sha.update(("-> " + Files.readSymbolicLink(p)).getBytes(StandardCharsets.UTF_8));
            } else {
                sha.update(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)).getBytes(StandardCharsets.UTF_8));
                if (Files.isRegularFile(p)) {
                    sha.update(Files.readAllBytes(p));
                }
            }
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    /** {@return an MD5 over the cluster's database names and every row of every table of {@code host}'s database} */
    static String databaseDigest(OmeroSandbox sandbox, String host) throws Exception {
        StringBuilder all = new StringBuilder(String.join(",", column(sandbox, host, "postgres", "SELECT datname FROM pg_database ORDER BY 1")));
        String database = sandbox.database(host).name();
        for (String table : column(sandbox, host, database,
                "SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")) {
            all.append('|').append(table).append('=').append(column(sandbox, host, database,
                    "SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM " + table + " t").get(0));
        }
        return all.toString();
    }

    /** {@return the database the OMERO install in {@code serverDir} is configured to use ({@code omero.db.name} in config.xml)} */
    static String serverDatabase(Path serverDir) throws Exception {
        String config = Files.readString(serverDir.resolve("etc/grid/config.xml"));
        int at = config.indexOf("name=\"omero.db.name\" value=\"") + "name=\"omero.db.name\" value=\"".length();
        return config.substring(at, config.indexOf('"', at));
    }

    /**
     * {@return what is wrong with {@code host}'s server: its server path must point at {@code release}, that
     * server must run, and the database it uses must be at {@code schema} with all 10 images it had}
     */
    static List<String> serverProblems(OmeroSandbox sandbox, String host, String release, String schema) throws Exception {
        List<String> problems = new ArrayList<>();
        Path server = sandbox.fleet().host(host).home().resolve("OMERO.server").toRealPath();
        boolean running = Files.exists(server.resolve("var/master/master.pid"));
        if (!server.getFileName().toString().startsWith("OMERO.server-" + release) || !running) {
            problems.add("expected OMERO " + release + " running, found " + server + (running ? " running" : " stopped"));
            return problems;
        }
        String database = serverDatabase(server);
        String found = column(sandbox, host, database, "SELECT currentversion || '__' || currentpatch FROM dbpatch ORDER BY id DESC LIMIT 1").get(0);
        if (!found.equals(schema)) {
            problems.add("its server uses " + database + " at " + found + ", expected " + schema);
        }
        String images = column(sandbox, host, database, "SELECT count(*) FROM image").get(0);
        if (!images.equals("10")) {
            problems.add(database + " holds " + images + " images, not the 10 it had");
        }
        return problems;
    }

    /**
     * Put a {@code pg_dump} in {@code bin} (first on a sandbox host's PATH) that runs the real one and then
     * loses the second half of the archive while still exiting 0, as a full disk can make it (DB-03).
     *
     * @return the fake's path, for the caller to delete
     */
    static Path truncatingPgDump(Path bin) throws Exception {
        Path fake = Files.createDirectories(bin).resolve("pg_dump");
        Files.writeString(fake, "#!/bin/sh\n"
                + "# a pg_dump that loses the end of its archive but still exits 0, as a full disk can make it\n"
                + "PATH=$(printf '%s' \"$PATH\" | sed 's|^[^:]*:||') pg_dump \"$@\" || exit $?\n"
                + "for a in \"$@\"; do case $prev in -f) f=$a;; esac; prev=$a; done\n"
                + "size=$(wc -c < \"$f\"); head -c $((size / 2)) \"$f\" > \"$f.cut\" && mv \"$f.cut\" \"$f\"\n");
        Files.setPosixFilePermissions(fake, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return fake;
    }
}
