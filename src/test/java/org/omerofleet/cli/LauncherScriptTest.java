package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/omero-fleet}, the launcher, run for real with a stand-in jar whose main prints the JVM's options and
 * pid and exits with the code it is given: one JVM, sized, that writes its class-data-sharing archive once and
 * starts from it afterwards.
 */
class LauncherScriptTest {

    private static final Path SCRIPT = Path.of("bin/omero-fleet").toAbsolutePath();

    @TempDir
    static Path dir;

    private static Path jar;

    @BeforeAll
    static void standInJar() throws IOException {
        Path source = Files.writeString(dir.resolve("Echo.java"), """
                public class Echo {
                    public static void main(String[] args) {
                        System.out.println("pid " + ProcessHandle.current().pid());
                        System.out.println("options " + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
                        System.out.println("args " + java.util.Arrays.asList(args));
                        System.exit(args.length > 1 && args[1].equals("fail") ? 3 : 0);
                    }
                }
                """);
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), source.toString()));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Echo");
        jar = dir.resolve("stand-in.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("Echo.class"));
            out.write(Files.readAllBytes(dir.resolve("Echo.class")));
            out.closeEntry();
        }
    }

    private record Launched(int exit, long pid, String output) {
        boolean optionsHave(String option) {
            return output.lines().anyMatch(l -> l.startsWith("options ") && l.contains(option));
        }
    }

    private static Launched launch(Path cache, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(SCRIPT.toString()), Stream.of(args)).toList())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("OMERO_FLEET_JAR", jar.toString());
        env.put("XDG_CACHE_HOME", cache.toString());
        env.remove("OMERO_FLEET_JAVA_OPTS");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Launched(process.waitFor(), process.pid(), output);
    }

    private static List<Path> archives(Path cache) throws IOException {
        Path dir = cache.resolve("omero-fleet");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void theFirstHostCommandWritesTheArchiveAndLaterCommandsAreOneJvmStartedFromIt(@TempDir Path cache) throws Exception {
        Launched first = launch(cache, "run", "site.yml");
        assertEquals(0, first.exit(), first.output());
        assertTrue(first.optionsHave("-Xmx512m") && first.optionsHave("-XX:+UseSerialGC") && first.optionsHave("-XX:ArchiveClassesAtExit="),
                first.output());
        List<Path> written = archives(cache);
        assertEquals(1, written.size(), "one archive, renamed into place: " + written);
        assertTrue(written.get(0).getFileName().toString().matches("launcher-[0-9-]+\\.jsa"), written.toString());

        Launched second = launch(cache, "run", "site.yml");
        assertEquals(0, second.exit(), second.output());
        assertTrue(second.optionsHave("-XX:SharedArchiveFile=" + written.get(0)), second.output());
        assertTrue(second.output().contains("pid " + second.pid() + "\n"), "the JVM is the launched process itself: " + second.output());
        assertTrue(second.output().contains("args [run, site.yml]"), second.output());
        assertEquals(written, archives(cache));
    }

    @Test
    void helpAndAFailedCommandLeaveNoArchive(@TempDir Path cache) throws Exception {
        Launched help = launch(cache, "run", "--help");
        assertEquals(0, help.exit(), help.output());
        assertFalse(help.optionsHave("ArchiveClassesAtExit"), "a help text loads too few classes to archive: " + help.output());
        Launched failed = launch(cache, "plan", "fail");
        assertEquals(3, failed.exit(), "the JVM's exit code is the launcher's");
        assertTrue(failed.optionsHave("-XX:ArchiveClassesAtExit="), failed.output());
        assertEquals(List.of(), archives(cache), "no archive from a failed command");
    }

    @Test
    void moreJvmOptionsComeAfterTheDefaultsSoThatTheyWin(@TempDir Path cache) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "inventory").redirectErrorStream(true);
        builder.environment().putAll(Map.of("OMERO_FLEET_JAR", jar.toString(), "XDG_CACHE_HOME", cache.toString(),
                "OMERO_FLEET_JAVA_OPTS", "-Xmx2g"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        String options = output.lines().filter(l -> l.startsWith("options ")).findFirst().orElseThrow();
        assertTrue(options.indexOf("-Xmx2g") > options.indexOf("-Xmx512m"), options);
    }

    @Test
    void aMissingJarIsNamedWithHowToBuildIt(@TempDir Path cache) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "run").redirectErrorStream(true);
        builder.environment().put("OMERO_FLEET_JAR", cache.resolve("nowhere.jar").toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, process.waitFor());
        assertTrue(output.contains("mvn -q -DskipTests package"), output);
    }
}
