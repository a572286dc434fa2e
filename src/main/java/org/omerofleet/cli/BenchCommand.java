package org.omerofleet.cli;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.omerofleet.bench.Bench;
import org.omerofleet.sandbox.OpenSshFleet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bench}: parse and check the options, then run the harness ({@link Bench}). It starts N local SSH hosts (in-process sandbox
 * hosts, or real OpenSSH sshd processes with {@code --sshd}), then times omero-fleet as a separate JVM
 * (start-up included) and reports wall time, controller CPU, peak RSS and threads. Workloads:
 * {@code noop10} (with {@code --sshd} also the plain OpenSSH floor: {@code ssh} with one ControlMaster
 * connection per host, the same commands, all hosts in parallel), {@code upgrade} (the real upgrade on
 * simulator hosts with padded databases), {@code transfer} (one large file to every host, against scp) and
 * {@code report} (the fleet report over several fleet sizes, per host) and {@code inventory} (loading a YAML and
 * an INI inventory of N hosts in this JVM, no hosts started).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet bench --sshd --hosts 50 noop10",
            "  omero-fleet bench transfer --sshd --hosts 20 --size-mb 200",
            "  omero-fleet bench report --hosts 20,100,200 -f 50 --repeat 1",
            "  omero-fleet bench inventory --hosts 200000 --repeat 1"},
        description = "Measure the controller's wall time, CPU, peak RSS and threads on N local hosts: noop10"
        + " (against the ssh ControlMaster floor with --sshd), upgrade (the real upgrade on simulator hosts), transfer (against scp),"
        + " report (the fleet report on simulator hosts, time per host for each --hosts size), inventory (loading a YAML and an"
        + " INI inventory of --hosts hosts).")
final class BenchCommand implements Callable<Integer> {

    private final Services services;

    @Parameters(index = "0", defaultValue = "noop10", paramLabel = "WORKLOAD",
            description = "noop10 (10 x /bin/true per host), upgrade (the real upgrade playbook on simulator hosts), transfer"
                    + " (one large file to every host, against scp; needs --sshd), report (omero-fleet report on simulator hosts),"
                    + " or inventory (load generated YAML and INI inventories of --hosts hosts)")
    String workload;

    @Option(names = "--size-mb", defaultValue = "200", description = "with the transfer workload: file size in MB (default ${DEFAULT-VALUE})")
    int sizeMegabytes;

    @Option(names = "--db-mb", defaultValue = "10", description = "with the upgrade workload: database size per host in MB (default ${DEFAULT-VALUE})")
    int dbMegabytes;

    @Option(names = "--hosts", defaultValue = "50", split = ",", paramLabel = "N[,N...]",
            description = "number of hosts (default ${DEFAULT-VALUE}); the report workload takes several sizes, e.g. 20,100,200")
    List<Integer> hostCounts;

    @Option(names = {"-f", "--forks"}, defaultValue = "0", description = "hosts at once (default: all hosts)")
    int forks;

    @Option(names = "--repeat", defaultValue = "3", description = "runs of each measurement; the median is reported (default ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--jvm-opts", paramLabel = "OPTS", defaultValue = "",
            description = "options for the measured JVM, e.g. \"-XX:TieredStopAtLevel=1 -XX:+UseSerialGC\" (default: none, as java -jar)")
    String jvmOpts;

    @Option(names = "--launcher", paramLabel = "FILE",
            description = "start the measured controller with this launcher script (bin/omero-fleet), as an installed one starts; its "
                    + "archive is written by the first run, into the bench's own directory; --jvm-opts go to OMERO_FLEET_JAVA_OPTS")
    java.nio.file.Path launcher;

    @Option(names = "--sshd", description = "use real OpenSSH sshd processes and measure the ssh ControlMaster floor too")
    boolean sshd;

    BenchCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws Exception {
        if (!Bench.WORKLOADS.contains(workload)) {
            throw new UsageException("unknown workload '" + workload + "' (known: " + String.join(", ", Bench.WORKLOADS) + ")");
        }
        if (hostCounts.size() > 1 && !workload.equals("report")) {
            throw new UsageException("--hosts takes one number for the " + workload + " workload");
        }
        if (workload.equals("transfer") && !sshd) {
            throw new UsageException("the transfer workload compares with scp and needs --sshd");
        }
        if (Collections.min(hostCounts) < 1 || repeat < 1) {
            throw new UsageException("--hosts and --repeat must be at least 1");
        }
        if (sshd && !OpenSshFleet.available()) {
            throw new UsageException("--sshd needs /usr/sbin/sshd and ssh-keygen (apt-get install openssh-server)");
        }
        if (launcher != null && !java.nio.file.Files.isExecutable(launcher)) {
            throw new UsageException("--launcher: " + launcher + " is not an executable file");
        }
        if (sshd && (workload.equals("upgrade") || workload.equals("report"))) {
            throw new UsageException("the " + workload + " workload runs on sandbox hosts only");
        }
        new Bench(new Bench.Settings(workload, hostCounts, forks, repeat, sizeMegabytes, dbMegabytes,
                new Bench.Controller(jvmOpts, java.util.Optional.ofNullable(launcher)), sshd), services.out(),
                Main.class.getName()).run();
        return ExitCodes.OK;
    }
}
