package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.sandbox.SandboxFleet;

/** The generic modules, each run through a playbook over real SSH against a sandbox host. */
class ModulesOnSandboxTest {

    @TempDir
    static Path dir;
    static SandboxFleet fleet;
    static Path inventory;
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        fleet = SandboxFleet.start(dir.resolve("fleet"), List.of("m1"));
        inventory = dir.resolve("inventory.yml");
        fleet.writeInventory(inventory, Map.of());
        home = fleet.host("m1").home();
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    record Run(int exit, String out) { }

    private static Run play(String name, String tasks) throws Exception {
        Path pb = dir.resolve(name + ".yml");
        Files.writeString(pb, "- hosts: sandbox\n  gather_facts: false\n  tasks:\n" + tasks.stripIndent().indent(4));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Main.execute(new String[] {"run", pb.toString(), "-i", inventory.toString(), "--runs-dir", dir.resolve("runs").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    private static String recap(Run r) {
        return r.out().lines().filter(l -> l.startsWith("m1 ") && l.contains("ok=")).findFirst().orElse(r.out());
    }

    @Test
    void copyIsIdempotentAndSetsTheMode() throws Exception {
        Path src = dir.resolve("config.txt");
        Files.writeString(src, "omero.db.name=omero\n");
        String tasks = "- copy: {src: " + src + ", dest: copied.txt, mode: '0600'}\n";
        Run first = play("copy1", tasks);
        assertEquals(0, first.exit(), first.out());
        assertTrue(recap(first).contains("changed=1"), recap(first));
        assertEquals("omero.db.name=omero\n", Files.readString(home.resolve("copied.txt")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("copied.txt"))));
        Run second = play("copy2", tasks);
        assertTrue(recap(second).contains("changed=0"), recap(second));
    }

    @Test
    void fetchBringsTheFileUnderDestSlashHost() throws Exception {
        Files.writeString(home.resolve("remote.log"), "line\n");
        Path dest = dir.resolve("fetched");
        Run r = play("fetch", "- fetch: {src: remote.log, dest: " + dest + "}\n");
        assertEquals(0, r.exit(), r.out());
        assertEquals("line\n", Files.readString(dest.resolve("m1").resolve("remote.log")));
    }

    @Test
    void shellHonoursChdirCreatesAndRemoves() throws Exception {
        Files.createDirectories(home.resolve("work"));
        Run r = play("shell", """
                - shell: pwd > here.txt
                  args: {chdir: work}
                - shell: echo again >> here.txt
                  args: {chdir: work, creates: here.txt}
                - shell: echo never > removed.txt
                  args: {chdir: work, removes: does-not-exist}
                """);
        assertEquals(0, r.exit(), r.out());
        assertEquals(home.resolve("work").toRealPath() + "\n", Files.readString(home.resolve("work/here.txt")));
        assertFalse(Files.exists(home.resolve("work/removed.txt")));
        // pwd ran (changed); creates found here.txt and removes found nothing: both ok, unchanged, as in Ansible
        assertTrue(recap(r).matches(".*\\bok=3\\s+changed=1\\s+unreachable=0\\s+failed=0\\s+skipped=0\\s.*"), recap(r));
    }

    @Test
    void fileAndStatSeeWhatIsThere() throws Exception {
        Run r = play("file", """
                - file: {path: made/deep, state: directory, mode: '0750'}
                - stat: {path: made/deep}
                  register: st
                - assert:
                    that: [st.stat.exists, st.stat.isdir, "st.stat.mode == '0750'"]
                """);
        assertEquals(0, r.exit(), r.out());
        assertTrue(Files.isDirectory(home.resolve("made/deep")));
    }

    @Test
    void unzipUnpacksIntoAFreshDirectoryStrippingTheTopFolder() throws Exception {
        Path zip = home.resolve("release.zip");
        writeZip(zip, Map.of("OMERO.server-9.9/bin/omero", "#!/bin/sh\n", "OMERO.server-9.9/etc/grid/config.xml", "<icegrid/>\n"));
        Run r = play("unzip", "- unzip: {src: release.zip, dest: installed, strip_top_dir: true}\n");
        assertEquals(0, r.exit(), r.out());
        assertEquals("<icegrid/>\n", Files.readString(home.resolve("installed/etc/grid/config.xml")));
        Run again = play("unzip2", "- unzip: {src: release.zip, dest: installed, strip_top_dir: true}\n");
        assertTrue(recap(again).contains("changed=0"), recap(again));
    }

    @Test
    void unzipRefusesAnEntryEscapingTheDestination() throws Exception {
        Path zip = home.resolve("evil.zip");
        writeZip(zip, Map.of("ok/file.txt", "fine\n", "../escaped.txt", "gotcha\n"));
        Run r = play("evil", "- unzip: {src: evil.zip, dest: evil}\n");
        assertEquals(ExitCodes.FAILED_SAFELY, r.exit(), r.out());
        assertTrue(r.out().contains("escape"), r.out());
        assertFalse(Files.exists(home.resolve("evil")));
        assertFalse(Files.exists(home.getParent().resolve("escaped.txt")));
    }

    /** 4 MiB of zeros deflates to about 4 KB: 1000:1, the shape of a zip bomb. */
    private static byte[] zeros() {
        return new byte[4 * 1024 * 1024];
    }

    private static byte[] incompressible(int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(8).nextBytes(bytes);
        return bytes;
    }

    private static void assertRefusedAndNothingExtracted(Run r, String limit, String dest) {
        assertEquals(ExitCodes.FAILED_SAFELY, r.exit(), r.out());
        assertTrue(r.out().contains(limit), r.out());
        assertFalse(Files.exists(home.resolve(dest)), "nothing extracted");
        try (var left = Files.list(home)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(dest + ".part-")), "no partial directory left");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void IN08_unzipRefusesAnEntryCompressedBeyondTheRatioBeforeExtractingAnything() throws Exception {
        writeZipBytes(home.resolve("ratio.zip"), Map.of("a/readme.txt", "hello\n".getBytes(StandardCharsets.UTF_8), "a/zeros.bin", zeros()));
        Run r = play("ratio", "- unzip: {src: ratio.zip, dest: ratio}\n");
        assertRefusedAndNothingExtracted(r, "max_ratio 200:1", "ratio");
        assertTrue(r.out().contains("a/zeros.bin"), r.out());
    }

    @Test
    void IN08_unzipRefusesMoreEntriesThanMaxEntries() throws Exception {
        Map<String, byte[]> entries = new java.util.HashMap<>();
        for (int i = 0; i < 11; i++) {
            entries.put("many/f" + i, new byte[] {(byte) i});
        }
        writeZipBytes(home.resolve("many.zip"), entries);
        Run r = play("many", "- unzip: {src: many.zip, dest: many, max_entries: 10}\n");
        assertRefusedAndNothingExtracted(r, "11 entries, over max_entries 10", "many");
    }

    @Test
    void IN08_unzipRefusesAnArchiveThatUnpacksBeyondMaxTotalSize() throws Exception {
        writeZipBytes(home.resolve("big.zip"), Map.of("big/a.bin", incompressible(1536), "big/b.bin", incompressible(1536)));
        Run r = play("big", "- unzip: {src: big.zip, dest: big, max_total_size: 2K}\n");
        assertRefusedAndNothingExtracted(r, "unpacks to 3072 bytes, over max_total_size 2048", "big");
    }

    @Test
    void IN08_aTaskMayRaiseTheLimitsForAnArchiveItTrusts() throws Exception {
        writeZipBytes(home.resolve("trusted.zip"), Map.of("t/zeros.bin", zeros()));
        Run r = play("trusted", "- unzip: {src: trusted.zip, dest: trusted, max_ratio: 5000, max_total_size: 5M, max_entries: 1}\n");
        assertEquals(0, r.exit(), r.out());
        assertEquals(4 * 1024 * 1024, Files.size(home.resolve("trusted/t/zeros.bin")));
    }

    @Test
    void waitForSeesAFileAppearAndTimesOutOnAPortNobodyOpens() throws Exception {
        Run r = play("wait", """
                - shell: (sleep 1; echo ready > flag) >/dev/null 2>&1 &
                - wait_for: {path: flag, search_regex: ready, timeout: 20}
                - wait_for: {port: 1, timeout: 1}
                  ignore_errors: true
                  register: closed
                - assert:
                    that: [closed is failed]
                """);
        assertEquals(0, r.exit(), r.out());
    }

    private static void writeZipBytes(Path zip, Map<String, byte[]> entries) throws Exception {
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    private static void writeZip(Path zip, Map<String, String> entries) throws Exception {
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(entries).entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    @Test
    void omeroEnvKeepsOneBlockThatASecondRunLeavesUnchanged() throws Exception {
        Files.writeString(home.resolve(".bashrc"), "alias ll='ls -l'\n");
        String tasks = "- omero_env: {file: .bashrc, server_dir: /opt/omero/OMERO.server, layout: V5}\n";
        Run first = play("env1", tasks);
        assertEquals(0, first.exit(), first.out());
        assertTrue(recap(first).contains("changed=1"), recap(first));
        Run second = play("env2", tasks);
        assertTrue(recap(second).contains("changed=0"), recap(second));
        String profile = Files.readString(home.resolve(".bashrc"));
        assertTrue(profile.startsWith("alias ll='ls -l'\n"), profile);
        assertEquals(1, profile.split("export OMERODIR=", -1).length - 1, profile);
        assertTrue(profile.contains("unset OMERO_HOME"), profile);
        Run v4 = play("env3", "- omero_env: {file: .bashrc, server_dir: /opt/omero/OMERO.server, layout: V4}\n");
        assertEquals(0, v4.exit(), v4.out());
        String after = Files.readString(home.resolve(".bashrc"));
        assertFalse(after.contains("OMERODIR"), after);
        assertTrue(after.contains("PYTHONPATH=/opt/omero/OMERO.server/lib/python"), after);
    }

    @Test
    void omeroScriptsCarriesLocalScriptsWithoutOverwritingTheNewRelease() throws Exception {
        Path old = Files.createDirectories(home.resolve("old/lib/scripts/omero/util"));
        Path fresh = Files.createDirectories(home.resolve("new/lib/scripts/omero/util"));
        Files.writeString(old.resolve("shipped.py"), "v1\n");
        Files.writeString(fresh.resolve("shipped.py"), "v2\n");
        Process init = new ProcessBuilder("sh", "-c", "git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm base"
                + " && echo local > omero/util/mine.py && echo changed > omero/util/shipped.py")
                .directory(home.resolve("old/lib/scripts").toFile()).redirectErrorStream(true).start();
        assertEquals(0, init.waitFor(), new String(init.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Run r = play("scripts", """
                - omero_scripts: {from: old, to: new, carry: true}
                  register: scripts
                - assert:
                    that:
                      - "'omero/util/mine.py' in scripts.carried"
                      - "'omero/util/shipped.py' in scripts.conflicts"
                """);
        assertEquals(0, r.exit(), r.out());
        assertEquals("local\n", Files.readString(fresh.resolve("mine.py")));
        assertEquals("v2\n", Files.readString(fresh.resolve("shipped.py")), "the new release's file is never overwritten");
    }

    @Test
    void becomeRunsTheCommandAsTheOtherUserThroughSudoWithoutAPassword() throws Exception {
        Process probe = new ProcessBuilder("sh", "-c", "sudo -n -u nobody true").redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.waitFor() == 0, "needs sudo that may run as nobody without a password (root in CI)");
        Run r = play("become", """
                - command: id -un
                  become: true
                  become_user: "{{ 'no' + 'body' }}"
                  become_method: sudo
                  register: who
                - command: id -un
                  register: me
                - assert:
                    that: ["who.stdout == 'nobody'", "me.stdout != 'nobody'"]
                """);
        assertEquals(0, r.exit(), r.out());
    }

    @Test
    void checkWithDiffShowsTheChangeAFileWouldGetAndChangesNothing() throws Exception {
        Files.writeString(home.resolve("omero.conf"), "a=1\nb=2\nc=3\n");
        Path src = dir.resolve("omero.conf.new");
        Files.writeString(src, "a=1\nb=20\nc=3\n");
        Path pb = dir.resolve("diff.yml");
        Files.writeString(pb, "- hosts: sandbox\n  gather_facts: false\n  tasks:\n    - copy: {src: " + src + ", dest: omero.conf}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Main.execute(new String[] {"run", pb.toString(), "-i", inventory.toString(), "--check", "--diff", "--runs-dir",
            dir.resolve("runs").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, text);
        assertTrue(text.contains("-b=2\n+b=20"), text);
        assertEquals("a=1\nb=2\nc=3\n", Files.readString(home.resolve("omero.conf")), "check mode changed nothing");
    }
}
