package org.omerofleet.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A simulated nginx on a sandbox host, as the simulated {@code bin/omero} stands in for OMERO.server:
 * {@code ~/bin/nginx} (first on the host's PATH) checks the configuration ({@code nginx -t}) and records
 * reloads ({@code nginx -s reload}); the configuration is {@code ~/etc/nginx/nginx.conf}, which includes
 * {@code ~/etc/nginx/conf.d/*.conf}, where a host keeps its OMERO.web stanza. What a reload loaded is in
 * {@code ~/var/nginx/active.conf}, one line per reload in {@code ~/var/nginx/reloads.log}.
 */
public final class WebServerStandIn {

    private WebServerStandIn() {
    }

    /**
     * Install the stand-in nginx under {@code home}.
     *
     * @return the directory its configuration includes stanzas from ({@code ~/etc/nginx/conf.d})
     */
    public static Path installNginx(Path home) throws IOException {
        Path confD = Files.createDirectories(home.resolve("etc/nginx/conf.d"));
        Files.writeString(home.resolve("etc/nginx/nginx.conf"), "# omero-fleet sandbox stand-in\nworker_processes 1;\nevents {\n"
                + "    worker_connections 64;\n}\nhttp {\n    include " + confD.toAbsolutePath() + "/*.conf;\n}\n");
        installScript(home, "nginx.sh", "nginx");
        return confD;
    }

    /**
     * Install the stand-in {@code apachectl} under {@code home} ({@code configtest}, {@code graceful}),
     * whose {@code ~/etc/apache2/apache2.conf} includes {@code ~/etc/apache2/conf.d/*.conf}; what a graceful
     * restart loaded is in {@code ~/var/apache2/active.conf}, see {@link #active(Path, String)}.
     *
     * @return the directory its configuration includes stanzas from ({@code ~/etc/apache2/conf.d})
     */
    public static Path installApache(Path home) throws IOException {
        Path confD = Files.createDirectories(home.resolve("etc/apache2/conf.d"));
        Files.writeString(home.resolve("etc/apache2/apache2.conf"), "# omero-fleet sandbox stand-in\nListen 80\n"
                + "IncludeOptional " + confD.toAbsolutePath() + "/*.conf\n");
        installScript(home, "apachectl.sh", "apachectl");
        return confD;
    }

    private static void installScript(Path home, String resource, String name) throws IOException {
        try (InputStream in = WebServerStandIn.class.getResourceAsStream("/org/omerofleet/sandbox/" + resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            Path bin = Files.createDirectories(home.resolve("bin"));
            Path command = bin.resolve(name);
            Files.write(command, in.readAllBytes());
            Files.setPosixFilePermissions(command, Modes.toPermissions(0755));
        }
    }

    /** {@return what the stand-in nginx under {@code home} serves since its last reload (empty before any)} */
    public static String active(Path home) throws IOException {
        return active(home, "nginx");
    }

    /** {@return what the stand-in {@code server} ({@code nginx} or {@code apache2}) under {@code home} serves since its last reload} */
    public static String active(Path home, String server) throws IOException {
        Path active = home.resolve("var/" + server + "/active.conf");
        return Files.exists(active) ? Files.readString(active) : "";
    }

    /** {@return how many reloads the stand-in nginx under {@code home} has done} */
    public static long reloads(Path home) throws IOException {
        Path log = home.resolve("var/nginx/reloads.log");
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.count();
        }
    }
}
