package org.omerofleet.cli;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Run the command line in this JVM as {@link Main#execute(String[], PrintStream, PrintStream)} does, with
 * an environment of the test's: this process's without its {@code ANSIBLE_*} variables, plus {@code env}
 * (for the conformance suite's cases that give both tools an ansible.cfg through {@code ANSIBLE_CONFIG}).
 */
public final class CliWithEnvironment {

    private CliWithEnvironment() {
    }

    /** {@return the exit code of {@code args} run with {@code env}, everything printed on {@code out}} */
    public static int execute(Map<String, String> env, PrintStream out, String... args) {
        Services base = Main.services(out, out);
        Map<String, String> environment = new HashMap<>(base.env());
        environment.keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        environment.putAll(env);
        Services services = new Services(base.out(), base.err(), base.clock(), base.random(), environment, base.home(), base.localUser(),
                base.modules(), base.templating(), base.transports(), base.internalErrors());
        return Main.execute(services, args);
    }
}
