package org.omerofleet.omero;

import java.util.Objects;
import java.util.Optional;

/**
 * Decide whether a host's new release needs the Python 3 virtualenv with omero-py that OMERO 5.6 runs
 * {@code bin/omero} from, and whether the upgrade may set it up. From 5.6 on the server's command line is
 * omero-py's, installed with pip in a virtualenv (the OME role's {@code /opt/omero/server/venv3}); a
 * 5.4 or 5.5 host has none, and its new 5.6 server could not even run {@code bin/omero admin start}.
 * Pure: the facts are read elsewhere.
 *
 * <ul>
 * <li>a target before 5.6, or a 5.6 host whose {@code bin/omero} already runs a virtualenv (the role's
 * wrapper): nothing to set up here (the upgrade copies the wrapper and upgrades omero-py);</li>
 * <li>a virtualenv with omero-py found (beside the server path or at {@code omero_venv_dir}): the new
 * release's {@code bin/omero} is made to run it;</li>
 * <li>none, with {@code omero_venv_create}: created (needs a {@code python3}), then as above;</li>
 * <li>none, without: a blocker saying how to make one or to let the upgrade make it.</li>
 * </ul>
 */
public record VenvPlan(boolean setup, boolean create, String venv, Optional<String> blocker, Optional<String> note) {

    /** The first release whose {@code bin/omero} is omero-py's. */
    public static final ReleaseVersion FIRST_VENV_RELEASE = ReleaseVersion.of("5.6.0");

    public VenvPlan {
        Objects.requireNonNull(venv, "venv");
        Objects.requireNonNull(blocker, "blocker");
        Objects.requireNonNull(note, "note");
        if (create && !setup) {
            throw new IllegalArgumentException("a virtualenv is created only to be set up");
        }
    }

    /**
     * What the host's facts say of Python.
     *
     * @param venv    the virtualenv found, or empty
     * @param from    how it was found: {@code wrapper} (the server's {@code bin/omero} runs it), {@code beside}, {@code venv_dir}
     * @param omeroPy the omero-py version installed in it, or empty
     * @param python3 the login's {@code python3 --version}, or empty when there is none
     */
    public record Found(String venv, String from, String omeroPy, String python3) {
        public Found {
            Objects.requireNonNull(venv, "venv");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(omeroPy, "omeroPy");
            Objects.requireNonNull(python3, "python3");
        }
    }

    /**
     * The inventory's settings.
     *
     * @param create  {@code omero_venv_create}: let the upgrade create the virtualenv
     * @param dir     where it is or is to be: {@code omero_venv_dir}, else {@code venv3} beside the server path
     * @param omeroPy the omero-py version to install ({@code omero_py_version}), empty for the newest
     */
    public record Wanted(boolean create, String dir, String omeroPy) {
        public Wanted {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(omeroPy, "omeroPy");
        }
    }

    /** {@return nothing to set up} */
    public static VenvPlan none() {
        return new VenvPlan(false, false, "", Optional.empty(), Optional.empty());
    }

    /** {@return the decision for a host on {@code current} (empty: unknown) going to {@code target}} */
    public static VenvPlan decide(Optional<ReleaseVersion> current, ReleaseVersion target, Found found, Wanted wanted) {
        if (FIRST_VENV_RELEASE.isNewerThan(target)) {
            return none();
        }
        boolean runsVenvAlready = current.map(c -> !FIRST_VENV_RELEASE.isNewerThan(c)).orElse(false) && found.from().equals("wrapper");
        if (runsVenvAlready && !found.omeroPy().isEmpty()) {
            return none();
        }
        String from = current.map(c -> "OMERO " + c.version()).orElse("this host") + " -> " + target.version();
        String requirement = wanted.omeroPy().isEmpty() ? "omero-py" : "omero-py==" + wanted.omeroPy();
        if (!found.venv().isEmpty() && !found.omeroPy().isEmpty()) {
            return new VenvPlan(true, false, found.venv(), Optional.empty(), Optional.of(from + ": the new release's bin/omero will run omero-py "
                    + found.omeroPy() + " from the Python 3 virtualenv " + found.venv() + " (OMERODIR set to the server path)"));
        }
        String venv = found.venv().isEmpty() ? wanted.dir() : found.venv();
        String missing = found.venv().isEmpty() ? "no Python 3 virtualenv with omero-py was found (looked for " + venv + ")"
                : "the virtualenv " + venv + " has no omero-py";
        if (wanted.create()) {
            if (found.python3().isEmpty() && found.venv().isEmpty()) {
                return new VenvPlan(false, false, venv, Optional.of(from + ": omero_venv_create is set but the host has no python3 on the login's PATH"
                        + " to create the virtualenv " + venv + " with: install Python 3 (the OME role uses 3.12), or create the virtualenv yourself"),
                        Optional.empty());
            }
            String make = found.venv().isEmpty() ? "create it with `python3 -m venv " + venv + "` (Python " + found.python3() + ") and " : "run ";
            return new VenvPlan(true, true, venv, Optional.empty(), Optional.of(from + ": " + missing + "; the upgrade will " + make + "`" + venv
                    + "/bin/pip install " + requirement + "` before the server stops, and the new release's bin/omero will run it"));
        }
        return new VenvPlan(false, false, venv, Optional.of(from + ": OMERO 5.6's bin/omero runs omero-py from a Python 3 virtualenv, and " + missing
                + ". Create it (`python3 -m venv " + venv + " && " + venv + "/bin/pip install " + requirement + "`) and set omero_venv_dir: " + venv
                + ", or set omero_venv_create: true to let the upgrade do it"), Optional.empty());
    }
}
