package org.omerofleet.modules.omero;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.modules.TextDiff;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.BecomeConnection;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Keep the web server's OMERO.web stanza that of the installed release, as the upgrade guide asks
 * ("run {@code bin/omero web config <webserver>}, update and restart your web server").
 *
 * <p>{@code state: present} (the default) runs {@code bin/omero web config <server>} of the release in
 * {@code server_dir}; when its output differs from the stanza at {@code dest}, it shows the diff
 * ({@code --diff}), keeps the old stanza in {@code backup_dir}, installs the new one, checks the web
 * server's configuration ({@code check_command}: {@code nginx -t}, {@code apachectl configtest}) and
 * reloads it ({@code reload_command}: {@code nginx -s reload}, {@code apachectl graceful}). A refused
 * check or reload puts the old stanza back before the task fails. {@code state: restored} puts back the
 * stanza a {@code present} step kept ({@code backup}, {@code existed}; none existed: the file is removed),
 * then checks and reloads: the upgrade's rescue. With {@code sudo: true} installing, checking and
 * reloading run as root through sudo ({@link BecomeConnection}: {@code sudo -n /bin/sh -c}, or with the
 * host's become password on sudo's input when one is set); the stanza is generated and kept as the login user.
 */
public final class OmeroWebServer implements Module {

    /** What the web server types differ in: where the stanza usually is, and how it is checked and reloaded. */
    private record Kind(String dest, String check, String reload) {
    }

    private static final Map<String, Kind> KINDS = Map.of(
            "nginx", new Kind("/etc/nginx/conf.d/omero-web.conf", "nginx -t", "nginx -s reload"),
            "apache", new Kind("/etc/httpd/conf.d/omero-web.conf", "apachectl configtest", "apachectl graceful"));

    /** One host's web server, as the task's arguments describe it. */
    private record Target(String server, String dest, String check, String reload, boolean sudo) {
        /** {@return the connection installing, checking and reloading run on: as root through sudo, or the login's own} */
        Connection privileged(TaskContext context) throws TransportException {
            return sudo ? new BecomeConnection(context.connection(), context.sudo().as("root")) : context.connection();
        }
    }

    @Override
    public String name() {
        return "omero_web_server";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("server", "state", "server_dir", "dest", "check_command", "reload_command", "backup_dir", "sudo", "backup", "existed");
    }

    @Override
    public Set<String> required() {
        return Set.of("server");
    }

    @Override
    public boolean supportsCheckMode() {
        return true;
    }

    @Override
    public boolean safeToRepeat() {
        return true;
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        String server = args.string("server");
        Kind kind = KINDS.get(server);
        if (kind == null) {
            return new TaskResult.Failed("omero_web_server: server must be nginx or apache, got '" + server + "'");
        }
        Target target = new Target(server, given(args, "dest", kind.dest()), given(args, "check_command", kind.check()),
                given(args, "reload_command", kind.reload()), args.bool("sudo", false));
        String state = args.string("state", "present");
        if (state.equals("restored")) {
            return restore(context, target, args.string("backup", ""), args.bool("existed", true));
        }
        if (!state.equals("present")) {
            return new TaskResult.Failed("omero_web_server: state must be present or restored, got '" + state + "'");
        }
        if (!args.has("server_dir")) {
            return new TaskResult.Failed("omero_web_server: state present needs server_dir (the release whose bin/omero writes the stanza)");
        }
        return install(context, target, args.string("server_dir"), given(args, "backup_dir", "omero-backups"));
    }

    /** {@return the argument, or {@code fallback} when it is absent or empty (a playbook's {@code default('')})} */
    private static String given(Args args, String key, String fallback) {
        String value = args.string(key, "");
        return value.isBlank() ? fallback : value;
    }

    private TaskResult install(TaskContext context, Target target, String serverDir, String backupDir) throws TransportException {
        CommandResult generated = context.connection().exec(ExecRequest.shell(OmeroShell.cd(serverDir) + "bin/omero web config " + target.server()));
        if (generated.rc() == OmeroShell.NO_SERVER_DIR && context.checkMode()) {
            return new TaskResult.Ok(true, "would regenerate the " + target.server() + " stanza at " + target.dest() + " from " + serverDir
                    + " (not unpacked yet), check it and reload", Map.of("dest", target.dest()));
        }
        if (!generated.succeeded()) {
            return new TaskResult.Failed("omero_web_server: bin/omero web config " + target.server() + " failed (rc " + generated.rc() + "): "
                    + generated.stderr().strip());
        }
        String stanza = generated.stdout();
        Current current = Current.read(context, target.dest());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dest", target.dest());
        if (current.exists() && current.text().equals(stanza)) {
            data.put("backup", "");
            return new TaskResult.Ok(false, "", data);
        }
        if (context.diffMode()) {
            data.put("diff", TextDiff.texts(context, target.dest(), current.text(), stanza));
        }
        if (context.checkMode()) {
            return new TaskResult.Ok(true, "would install the regenerated " + target.server() + " stanza at " + target.dest() + ", check it with `"
                    + target.check() + "` and reload", data);
        }
        Backup backup = Backup.keep(context, target.dest(), backupDir);
        data.put("backup", backup.path());
        data.put("existed", backup.existed());
        CommandResult written = write(context, target, stanza);
        if (!written.succeeded()) {
            return new TaskResult.Failed(false, "omero_web_server: cannot install " + target.dest() + ": " + written.stderr().strip(), data, Map.of());
        }
        String refused = checkAndReload(context, target);
        if (!refused.isEmpty()) {
            String back = putBack(context, target, backup).isEmpty() ? "the previous stanza is back" : "the previous stanza could NOT be put back";
            return new TaskResult.Failed(true, "omero_web_server: " + refused + "; " + back, data, Map.of());
        }
        return new TaskResult.Ok(true, "", data);
    }

    private TaskResult restore(TaskContext context, Target target, String backupPath, boolean existed) throws TransportException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dest", target.dest());
        if (backupPath.isEmpty()) {
            return new TaskResult.Ok(false, "no stanza was replaced", data);
        }
        Backup backup = new Backup(backupPath, existed);
        Current current = Current.read(context, target.dest());
        String kept = existed ? Current.read(context, backupPath).text() : "";
        if (existed ? current.exists() && current.text().equals(kept) : !current.exists()) {
            return new TaskResult.Ok(false, "", data);
        }
        if (context.checkMode()) {
            return new TaskResult.Ok(true, "would put the previous " + target.server() + " stanza back at " + target.dest() + " and reload", data);
        }
        String failed = putBack(context, target, backup);
        if (!failed.isEmpty()) {
            return new TaskResult.Failed(true, "omero_web_server: " + failed, data, Map.of());
        }
        return new TaskResult.Ok(true, "", data);
    }

    /** {@return why the old stanza could not be put back, checked and reloaded; empty when it was} */
    private static String putBack(TaskContext context, Target target, Backup backup) throws TransportException {
        String d = OmeroShell.q(target.dest());
        String script = backup.existed()
                ? "set -e; cat -- " + OmeroShell.q(backup.path()) + " > " + d + ".fleet-new; chmod --reference=" + d + " -- " + d + ".fleet-new 2>/dev/null || "
                        + "chmod 644 -- " + d + ".fleet-new; mv -f -- " + d + ".fleet-new " + d
                : "rm -f -- " + d;
        CommandResult r = target.privileged(context).exec(ExecRequest.shell(script));
        if (!r.succeeded()) {
            return "cannot put the previous stanza back at " + target.dest() + ": " + r.stderr().strip();
        }
        return checkAndReload(context, target);
    }

    private static CommandResult write(TaskContext context, Target target, String stanza) throws TransportException {
        String d = OmeroShell.q(target.dest());
        String script = "set -e; cat > " + d + ".fleet-new; if [ -f " + d + " ]; then chmod --reference=" + d + " -- " + d + ".fleet-new; else chmod 644 -- "
                + d + ".fleet-new; fi; mv -f -- " + d + ".fleet-new " + d;
        return target.privileged(context).exec(ExecRequest.shell(script).withStdin(stanza.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@return why the web server refused its configuration or the reload; empty when it took it} */
    private static String checkAndReload(TaskContext context, Target target) throws TransportException {
        CommandResult check = target.privileged(context).exec(ExecRequest.shell(target.check() + " 2>&1"));
        context.log("omero_web_server: " + target.check() + " (rc " + check.rc() + "): " + check.stdout().strip());
        if (!check.succeeded()) {
            return "`" + target.check() + "` refused the configuration (rc " + check.rc() + "): " + lastLines(check.stdout() + check.stderr());
        }
        CommandResult reload = target.privileged(context).exec(ExecRequest.shell(target.reload() + " 2>&1"));
        if (!reload.succeeded()) {
            return "`" + target.reload() + "` failed (rc " + reload.rc() + "): " + lastLines(reload.stdout() + reload.stderr());
        }
        return "";
    }

    private static String lastLines(String text) {
        String[] lines = text.strip().split("\n");
        return String.join(" / ", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 2), lines.length));
    }

    /** The stanza file as it is on the host. */
    private record Current(boolean exists, String text) {
        static Current read(TaskContext context, String path) throws TransportException {
            String p = OmeroShell.q(path);
            CommandResult r = context.connection().exec(ExecRequest.shell("if [ -f " + p + " ]; then echo present; cat -- " + p + "; else echo absent; fi"));
            String out = r.stdout();
            int nl = out.indexOf('\n');
            boolean exists = nl > 0 && out.substring(0, nl).equals("present");
            return new Current(exists, exists ? out.substring(nl + 1) : "");
        }
    }

    /** Where the replaced stanza was kept, and whether there was one ({@code existed} false: the file was new). */
    private record Backup(String path, boolean existed) {
        /**
         * Keep the stanza at {@code dest} in {@code dir}, under a name of this step: a repeat of the step after the
         * controller stopped finds the copy it made before the stanza was replaced, and keeps it.
         */
        static Backup keep(TaskContext context, String dest, String dir) throws TransportException {
            String name = dest.substring(dest.lastIndexOf('/') + 1) + ".before-" + shortHash(context.stepKey());
            String d = OmeroShell.q(dest);
            String script = "set -e; mkdir -p -- " + OmeroShell.q(dir) + "; b=$(cd -- " + OmeroShell.q(dir) + " && pwd -P)/" + OmeroShell.q(name) + "; "
                    + "if [ ! -e \"$b\" ] && [ ! -e \"$b.absent\" ]; then if [ -f " + d + " ]; then cp -p -- " + d + " \"$b.part\"; mv -f -- \"$b.part\" \"$b\"; "
                    + "else : > \"$b.absent\"; fi; fi; if [ -e \"$b\" ]; then echo \"existed=$b\"; else echo \"absent=$b\"; fi";
            CommandResult r = context.connection().exec(ExecRequest.shell(script));
            String out = r.stdout().strip();
            if (!r.succeeded() || !out.contains("=")) {
                throw new IllegalStateException("omero_web_server: cannot keep the previous stanza in " + dir + ": " + r.stderr().strip());
            }
            return new Backup(out.substring(out.indexOf('=') + 1), out.startsWith("existed="));
        }

        private static String shortHash(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
