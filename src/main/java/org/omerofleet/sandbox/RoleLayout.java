package org.omerofleet.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lay out an OMERO 5.6 host as the OME Ansible roles (ome/ansible-role-omero-server and -omero-web)
 * deploy it, under the host's home instead of {@code /}:
 * <ul>
 * <li>{@code opt/omero/server/OMERO.server}, a symlink to the unpacked release, whose {@code bin/omero} is
 * the role's wrapper: it sets {@code OMERODIR} (when unset) and runs {@code venv3/bin/omero};</li>
 * <li>{@code opt/omero/server/venv3}, a Python 3 virtualenv with omero-py: its {@code bin/omero} is omero-py's
 * entry point (the simulated CLI in virtualenv mode, which needs {@code OMERODIR}), its {@code bin/pip} the
 * sandbox's offline pip;</li>
 * <li>{@code opt/omero/web/OMERO.web}, OMERO.web's own {@code OMERODIR} (a plain directory with the wrapper,
 * {@code etc/grid/config.xml} and {@code var/}), and {@code opt/omero/web/venv3} with omero-py and omero-web;</li>
 * <li>systemd units {@code omero-server} and {@code omero-web} (forking, PIDFile, {@code Environment=OMERODIR},
 * {@code ExecStart=.../bin/omero admin start}, {@code web start}) for the sandbox's {@code systemctl} on PATH.</li>
 * </ul>
 * A host is laid out so when its release in the sandbox's list carries the suffix {@value #SUFFIX}
 * ({@code 5.6.3-venv}).
 */
public final class RoleLayout {

    /** The suffix of a release that asks for this layout. */
    public static final String SUFFIX = "-venv";
    /** Where the server lives, relative to the host's home (the role's {@code /opt/omero/server/OMERO.server}). */
    public static final String SERVER_DIR = "opt/omero/server/" + OmeroInstall.LINK;
    /** OMERO.web's {@code OMERODIR}, relative to the host's home (the role's {@code /opt/omero/web/OMERO.web}). */
    public static final String WEB_DIR = "opt/omero/web/OMERO.web";
    /** The omero-py and omero-web versions a new host gets: older than the sandbox index's newest, so an upgrade moves them. */
    static final String FIRST_OMERO_PY = "5.8.1";
    static final String FIRST_OMERO_WEB = "5.8.1";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private RoleLayout() {
    }

    /** {@return whether {@code spec} (e.g. {@code 5.6.3-venv}) asks for this layout} */
    public static boolean wanted(String spec) {
        return spec.endsWith(SUFFIX);
    }

    /**
     * {@return why {@code spec} cannot be a sandbox host, if it cannot: a 5.6 release without this layout, whose own
     * {@code bin/omero} needs an omero-py that nothing would give it}
     */
    public static java.util.Optional<String> refusal(String spec) {
        boolean needsVenv = org.omerofleet.omero.ReleaseVersion.parse(spec)
                .map(v -> !org.omerofleet.omero.VenvPlan.FIRST_VENV_RELEASE.isNewerThan(v)).orElse(false);
        return needsVenv && !wanted(spec) ? java.util.Optional.of(spec + " runs bin/omero from omero-py in a Python 3 virtualenv: use "
                + spec + SUFFIX + " (laid out as the OME roles deploy it)") : java.util.Optional.empty();
    }

    /** {@return the release of {@code spec} without the layout suffix: {@code 5.6.3} for {@code 5.6.3-venv}} */
    public static String version(String spec) {
        return wanted(spec) ? spec.substring(0, spec.length() - SUFFIX.length()) : spec;
    }

    /** {@return the inventory variables a host of this layout needs: where its server is, and systemctl without sudo} */
    public static Map<String, Object> hostVars() {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("omero_server_dir", SERVER_DIR);
        vars.put("omero_systemctl_sudo", false);
        return vars;
    }

    /**
     * Install {@code version} in this layout under {@code home} against a fresh database, and start the
     * server and OMERO.web through the units.
     */
    public static void install(Path home, OmeroReleases releases, String version, PostgresCluster pg, DbSettings db)
            throws IOException, SQLException {
        Path serverBase = Files.createDirectories(home.resolve("opt/omero/server"));
        Path dir = OmeroInstall.install(new OmeroInstall.Place(home, serverBase), releases, version, pg, db);
        Path serverVenv = venv(serverBase.resolve("venv3"), "omero-py==" + FIRST_OMERO_PY + "\nzeroc-ice==3.6.5\n");
        Path serverLink = serverBase.resolve(OmeroInstall.LINK);
        writeWrapper(dir.resolve("bin/omero"), serverLink, serverVenv);
        Path webBase = Files.createDirectories(home.resolve("opt/omero/web"));
        Path webVenv = venv(webBase.resolve("venv3"), "omero-py==" + FIRST_OMERO_PY + "\nomero-web==" + FIRST_OMERO_WEB + "\nzeroc-ice==3.6.5\n");
        Path web = webBase.resolve("OMERO.web");
        Files.createDirectories(web.resolve("etc/grid"));
        Files.createDirectories(web.resolve("var"));
        Files.createDirectories(web.resolve("bin"));
        Files.writeString(web.resolve("etc/grid/config.xml"), GridConfig.render(Map.of("omero.web.server_list", "[[\"localhost\", 4064, \"omero\"]]")));
        writeWrapper(web.resolve("bin/omero"), web, webVenv);
        Path units = Files.createDirectories(home.resolve(".sandbox-systemd"));
        Files.writeString(units.resolve("omero-server.service"), unit("OMERO.server", serverLink, "var/master/master.pid", "admin"));
        Files.writeString(units.resolve("omero-web.service"), unit("OMERO.web", web, "var/django.pid", "web"));
        OmeroInstall.installCommand(home, "systemctl", body("systemctl.sh"));
    }

    /** Start {@code omero-server} and {@code omero-web} through the host's {@code systemctl}, as at boot. */
    public static void start(Path home, PostgresCluster pg) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("PATH", home.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":" + pg.binDir());
        for (String unit : List.of("omero-server", "omero-web")) {
            ExecResult r = LocalCommand.run(List.of(home.resolve("bin/systemctl").toString(), "start", unit), home, env, START_TIMEOUT);
            if (!r.ok()) {
                throw new IOException(unit + " did not start in " + home + ": " + r.stdout() + r.stderr());
            }
        }
    }

    /**
     * Give a host what creating a 5.6 virtualenv takes, as on a host before the OME role ran: a {@code ~/bin/python3}
     * stand-in ({@code python3 -m venv DIR} makes a virtualenv with the offline pip) and the offline index
     * {@code ~/.sandbox-pypi} (that pip, and omero-py's {@code omero} entry point, the simulated CLI).
     */
    public static void installPython(Path home) throws IOException {
        OmeroInstall.installCommand(home, "python3", body("python3.sh"));
        Path pypi = Files.createDirectories(home.resolve(".sandbox-pypi"));
        executable(pypi.resolve("pip"), resource("pip.sh"));
        executable(pypi.resolve("omero"), resource("omero.sh"));
    }

    /**
     * {@return {@code venv}, made a simulated Python 3 virtualenv whose {@code lib/sandbox-site-packages} lists
     * {@code installed} ({@code NAME==VERSION} lines), with omero-py's {@code bin/omero} and the offline {@code bin/pip}}
     */
    public static Path virtualenv(Path venv, String installed) throws IOException {
        return venv(venv, installed);
    }

    private static Path venv(Path venv, String installed) throws IOException {
        Path bin = Files.createDirectories(venv.resolve("bin"));
        Files.createDirectories(venv.resolve("lib"));
        Files.writeString(venv.resolve("pyvenv.cfg"), "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.12.3\n");
        Files.writeString(venv.resolve("lib/sandbox-site-packages"), installed);
        executable(bin.resolve("omero"), resource("omero.sh"));
        executable(bin.resolve("pip"), body("pip.sh"));
        return venv;
    }

    /** The role's {@code bin/omero} (a Python script there, sh here): OMERODIR defaults to the install, the venv first on PATH. */
    private static void writeWrapper(Path file, Path omerodir, Path venv) throws IOException {
        Files.deleteIfExists(file);
        executable(file, "#!/bin/sh\n# bin/omero as the OME Ansible role installs it: run omero-py's omero from the virtualenv\n"
                + "[ -n \"${OMERODIR-}\" ] || OMERODIR='" + omerodir + "'\nexport OMERODIR\n"
                + "PATH='" + venv.resolve("bin") + "':\"$PATH\"\nexport PATH\n"
                + "exec '" + venv.resolve("bin/omero") + "' \"$@\"\n");
    }

    private static String unit(String description, Path omerodir, String pidFile, String component) {
        String omero = omerodir.resolve("bin/omero").toString();
        return "[Unit]\nDescription=" + description + "\nAfter=network.service\n\n[Service]\nType=forking\n"
                + "PIDFile=" + omerodir.resolve(pidFile) + "\nRestart=no\nTimeoutSec=300\n"
                + "Environment=OMERODIR=" + omerodir + "\n"
                + "ExecStart=" + omero + " " + component + " start\nExecStop=" + omero + " " + component + " stop\n\n"
                + "[Install]\nWantedBy=multi-user.target\n";
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, Modes.toPermissions(0755));
    }

    /** {@return a stand-in script without its {@code #!/bin/sh} line, for {@link OmeroInstall#installCommand}} */
    private static String body(String name) throws IOException {
        String text = resource(name);
        return text.startsWith("#!") ? text.substring(text.indexOf('\n') + 1) : text;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RoleLayout.class.getResourceAsStream("/org/omerofleet/sandbox/" + name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
