package org.omerofleet.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.result.TaskResult;

/**
 * {@code user}, {@code group}, {@code package}/{@code apt}, {@code pip}, {@code get_url} and
 * {@code uri} on a sandbox host over real SSH. Accounts and packages are only read here (existing ones,
 * or check mode): the commands that would change them are checked as built, not run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SystemModulesTest {

    SandboxTasks tasks;
    Path home;
    HttpServer http;
    final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        tasks = new SandboxTasks(dir, "y1");
        home = tasks.home("y1");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization")
                    + " " + new String(in, StandardCharsets.UTF_8));
            boolean found = exchange.getRequestURI().getPath().equals("/api");
            byte[] out = found ? "{\"version\": \"5.6.9\", \"ok\": true}".getBytes(StandardCharsets.UTF_8) : "no".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", found ? "application/json" : "text/plain");
            exchange.sendResponseHeaders(found ? 200 : 404, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        http.start();
    }

    @AfterAll
    void stop() {
        http.stop(0);
        tasks.close();
    }

    @SuppressWarnings("unchecked")
    private static <T> T data(TaskResult r, String key) {
        return (T) (r instanceof TaskResult.Ok ok ? ok.data() : ((TaskResult.Failed) r).data()).get(key);
    }

    @Test
    void anExistingGroupAndUserAreUnchanged() throws Exception {
        assertFalse(tasks.run(new GroupModule(), "y1", Map.of("name", "root")).changed());
        TaskResult user = tasks.run(new UserModule(), "y1", Map.of("name", "root"));
        assertFalse(user.changed());
        assertEquals(0L, (Long) data(user, "uid"));
    }

    @Test
    void aNewUserInCheckModeIsAChangeWithNoUseraddRun() throws Exception {
        tasks.commands.clear();
        TaskResult r = tasks.run(new UserModule(), "y1", Map.of("name", "fleet-test-nobody", "shell", "/bin/false"), SandboxTasks.Mode.CHECK);
        assertTrue(r.changed());
        assertTrue(tasks.commands.stream().noneMatch(c -> c.startsWith("useradd")), tasks.commands.toString());
        TaskResult g = tasks.run(new GroupModule(), "y1", Map.of("name", "fleet-test-nogroup"), SandboxTasks.Mode.CHECK);
        assertTrue(g.changed());
        assertTrue(tasks.commands.stream().noneMatch(c -> c.startsWith("groupadd")), tasks.commands.toString());
    }

    @Test
    void absentAccountsThatDoNotExistAreUnchanged() throws Exception {
        assertFalse(tasks.run(new UserModule(), "y1", Map.of("name", "fleet-test-nobody", "state", "absent")).changed());
        assertFalse(tasks.run(new GroupModule(), "y1", Map.of("name", "fleet-test-nogroup", "state", "absent")).changed());
    }

    @Test
    void installedPackagesAreUnchangedAndARemovalInCheckModeIsAChange() throws Exception {
        assertFalse(tasks.run(new PackageModule("package"), "y1", Map.of("name", "coreutils")).changed());
        assertFalse(tasks.run(new PackageModule("apt"), "y1", Map.of("name", List.of("coreutils", "sed"), "state", "present")).changed());
        tasks.commands.clear();
        TaskResult r = tasks.run(new PackageModule("apt"), "y1", Map.of("name", "sed", "state", "absent"), SandboxTasks.Mode.CHECK);
        assertTrue(r.changed());
        assertTrue(tasks.commands.stream().noneMatch(c -> c.contains("apt-get")), tasks.commands.toString());
        assertFalse(tasks.run(new PackageModule("apt"), "y1", Map.of("name", "fleet-no-such-package", "state", "absent")).changed());
    }

    @Test
    void getUrlDownloadsOnceChecksThenFailsOnAWrongChecksum() throws Exception {
        Files.writeString(home.resolve("source.txt"), "payload\n");
        String url = "file://" + home.resolve("source.txt");
        String sha = "sha256:d4e4877bac978b7952f0d544fc52ebff5411d351d129f1f056fa43f11da9af2b";
        TaskResult first = tasks.run(new GetUrlModule(), "y1", Map.of("url", url, "dest", "got.txt", "checksum", sha));
        assertTrue(first.changed(), first.message());
        assertEquals("payload\n", Files.readString(home.resolve("got.txt")));
        assertFalse(tasks.run(new GetUrlModule(), "y1", Map.of("url", url, "dest", "got.txt", "checksum", sha)).changed());
        assertFalse(tasks.run(new GetUrlModule(), "y1", Map.of("url", url, "dest", "got.txt", "force", true)).changed(),
                "the same content downloaded again is no change");
        TaskResult bad = tasks.run(new GetUrlModule(), "y1", Map.of("url", url, "dest", "bad.txt", "checksum", "sha256:" + "0".repeat(64)));
        assertInstanceOf(TaskResult.Failed.class, bad);
        assertTrue(bad.message().startsWith("The checksum for bad.txt did not match"), bad.message());
        assertFalse(Files.exists(home.resolve("bad.txt")));
    }

    @Test
    void uriReturnsJsonAndKeepsTheCredentialsOffTheCommandLine() throws Exception {
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        tasks.commands.clear();
        TaskResult r = tasks.run(new UriModule(), "y1", Map.of("url", base + "/api", "method", "POST", "body_format", "json",
                "body", Map.of("name", "it's"), "url_username", "admin", "url_password", "s3cret pass", "force_basic_auth", true));
        assertInstanceOf(TaskResult.Ok.class, r, r.message());
        assertEquals(200L, (Long) data(r, "status"));
        assertEquals("5.6.9", ((Map<String, Object>) data(r, "json")).get("version"));
        assertTrue(requests.stream().anyMatch(q -> q.startsWith("POST /api Basic ") && q.endsWith("{\"name\":\"it's\"}")), requests.toString());
        assertTrue(tasks.commands.stream().noneMatch(c -> c.contains("s3cret") || c.contains("admin")), tasks.commands.toString());
        TaskResult missing = tasks.run(new UriModule(), "y1", Map.of("url", base + "/nothing"));
        assertInstanceOf(TaskResult.Failed.class, missing);
        assertTrue(missing.message().startsWith("Status code was 404 and not [200]"), missing.message());
        assertInstanceOf(TaskResult.Ok.class, tasks.run(new UriModule(), "y1", Map.of("url", base + "/nothing", "status_code", List.of(200, 404))));
    }

    @Test
    void pipCreatesTheVirtualenvOnceAndFindsWhatIsInstalled() throws Exception {
        Map<String, Object> args = Map.of("name", "pip", "virtualenv", "venv", "virtualenv_command", "/usr/bin/python3 -m venv");
        TaskResult first = tasks.run(new PipModule(), "y1", args);
        assertTrue(first.changed(), first.message());
        assertTrue(Files.isExecutable(home.resolve("venv/bin/python")));
        TaskResult second = tasks.run(new PipModule(), "y1", args);
        assertFalse(second.changed(), second.message());
        assertFalse(tasks.run(new PipModule(), "y1", Map.of("name", "fleet-no-such-package", "state", "absent", "virtualenv", "venv")).changed());
    }
}
