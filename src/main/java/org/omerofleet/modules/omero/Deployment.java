package org.omerofleet.modules.omero;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Find how an OMERO 5.6 host is deployed, as the OME Ansible roles leave one: the Python 3 virtualenv
 * whose omero-py runs the server's CLI, the systemd units {@code omero-server} and {@code omero-web}, and
 * OMERO.web as a separate install with its own virtualenv and {@code OMERODIR}. {@link OmeroFacts} runs
 * {@link #script} in the server directory and adds {@link #facts} to the host's {@code omero} facts.
 *
 * <p>The virtualenv is the one the server's {@code bin/omero} runs (the role's wrapper names
 * {@code <venv>/bin/omero}; {@code venv_from=wrapper}), else a {@code venv3} beside the server path (the install
 * guide's and the role's default; {@code beside}), else the {@code venv_dir} the inventory names ({@code omero_venv_dir};
 * {@code venv_dir}); it counts only with its {@code pyvenv.cfg}. {@code python3} is the version of the login's
 * {@code python3} (empty without one), which creating a virtualenv needs. OMERO.web is looked for at {@code ../web/OMERO.web}
 * from the server's base directory ({@code /opt/omero/web/OMERO.web} beside {@code /opt/omero/server}) unless
 * {@code web_dir} names it. A unit counts when {@code systemctl show -p LoadState} says {@code loaded}.
 */
final class Deployment {

    /** The systemd units the OME roles install. */
    static final String SERVER_UNIT = "omero-server";
    static final String WEB_UNIT = "omero-web";

    private Deployment() {
    }

    /**
     * {@return a shell fragment, run in the server directory, printing {@code venv=}, {@code omero_py=},
     * {@code server_unit=}, {@code web_dir=}, {@code web_venv=}, {@code omero_web=}, {@code web_unit=} lines}
     */
    static String script(String webDir, String serverUnit, String webUnit, String venvDir) {
        // a relative venv_dir is the login's, as every path in the inventory: from $HOME, not the server directory
        String findVenvDir = venvDir.isEmpty() ? "" : "if [ -z \"$sv\" ]; then sv=$(cd && [ -f " + OmeroShell.q(venvDir + "/pyvenv.cfg")
                + " ] && cd -P -- " + OmeroShell.q(venvDir) + " && pwd); [ -z \"$sv\" ] || svf=venv_dir; fi; ";
        String findWeb = webDir.isEmpty() ? "wd=$(cd -P .. 2>/dev/null && cd ../web/OMERO.web 2>/dev/null && pwd); "
                : "wd=$(cd -- " + OmeroShell.q(webDir) + " 2>/dev/null && pwd); ";
        return "dvenv() { w=$(grep -o \"[^'\\\" ]*/bin/omero\" \"$1/bin/omero\" 2>/dev/null | head -n 1); v=${w%/bin/omero}; "
                + "if [ -n \"$w\" ] && [ -f \"$v/pyvenv.cfg\" ]; then echo \"$v\"; "
                + "elif [ -f \"$1/../venv3/pyvenv.cfg\" ]; then (cd -P \"$1/../venv3\" && pwd); fi; }; "
                + "pipv() { \"$1\"/bin/pip show \"$2\" 2>/dev/null | sed -n 's/^Version: //p'; }; "
                + "unit() { if systemctl show -p LoadState \"$2\" 2>/dev/null | grep -qx LoadState=loaded; then echo \"$1=$2\"; fi; }; "
                + "sv=$(dvenv \"$(pwd)\"); svf=; if [ -n \"$sv\" ]; then if [ -f \"$sv/bin/omero\" ] && grep -qF \"$sv/bin/omero\" bin/omero 2>/dev/null; "
                + "then svf=wrapper; else svf=beside; fi; fi; " + findVenvDir
                + "echo \"venv=$sv\"; echo \"venv_from=$svf\"; if [ -n \"$sv\" ]; then echo \"omero_py=$(pipv \"$sv\" omero-py)\"; fi; "
                + "echo \"python3=$(python3 --version 2>&1 | sed -n 's/^Python //p')\"; "
                + "unit server_unit " + OmeroShell.q(serverUnit) + "; "
                + findWeb
                + "if [ -n \"$wd\" ] && [ -e \"$wd/bin/omero\" ]; then echo \"web_dir=$wd\"; wv=$(dvenv \"$wd\"); echo \"web_venv=$wv\"; "
                + "if [ -n \"$wv\" ]; then echo \"omero_web=$(pipv \"$wv\" omero-web)\"; fi; fi; "
                + "unit web_unit " + OmeroShell.q(webUnit) + "; ";
    }

    /** {@return the deployment facts from the fragment's output, each present (empty when not found)} */
    static Map<String, Object> facts(Map<String, String> raw) {
        Map<String, Object> facts = new LinkedHashMap<>();
        for (String key : new String[] {"venv", "venv_from", "omero_py", "python3", "server_unit", "web_dir", "web_venv", "omero_web", "web_unit"}) {
            facts.put(key, raw.getOrDefault(key, ""));
        }
        facts.put("systemd", !raw.getOrDefault("server_unit", "").isEmpty());
        facts.put("deployment", describe(raw));
        return facts;
    }

    /** {@return e.g. {@code venv (omero-py 5.8.1), systemd, web separate (omero-web 5.8.1), systemd}; empty for a plain install} */
    static String describe(Map<String, String> raw) {
        StringBuilder text = new StringBuilder();
        if (!raw.getOrDefault("venv", "").isEmpty()) {
            text.append("venv (omero-py ").append(raw.getOrDefault("omero_py", "?")).append(')');
        }
        if (!raw.getOrDefault("server_unit", "").isEmpty()) {
            text.append(text.isEmpty() ? "" : ", ").append("systemd");
        }
        if (!raw.getOrDefault("web_dir", "").isEmpty()) {
            text.append(text.isEmpty() ? "" : ", ").append("web separate");
            if (!raw.getOrDefault("omero_web", "").isEmpty()) {
                text.append(" (omero-web ").append(raw.get("omero_web")).append(')');
            }
            if (!raw.getOrDefault("web_unit", "").isEmpty()) {
                text.append(", systemd");
            }
        }
        return text.toString();
    }

    /** {@return whether the server runs from a virtualenv's omero-py, so that {@code bin/omero version} names omero-py, not the server} */
    static boolean inVenv(Map<String, String> raw) {
        return !raw.getOrDefault("venv", "").isEmpty();
    }
}
