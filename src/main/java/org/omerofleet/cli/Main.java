package org.omerofleet.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.ModuleRegistry;
import org.omerofleet.modules.Modules;
import org.omerofleet.modules.omero.OmeroModules;
import org.omerofleet.playbook.Templating;
import org.omerofleet.transport.PassphraseProvider;
import org.omerofleet.transport.jsch.JschConnectionFactory;
import org.omerofleet.transport.mina.MinaConnectionFactory;
import picocli.CommandLine;

/**
 * Start the command line: the composition root, and the only place that names a concrete transport.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (Relaunch.wanted(jvm, System.getenv(), args)) {
            System.exit(Relaunch.run(args));
        }
        if (Relaunch.contactsHosts(args)) {
            Thread warmUp = new Thread(MinaConnectionFactory::warmUp, "ssh-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
        }
        System.exit(execute(args, System.out, System.err));
    }

    /** {@return the exit code of running {@code args}, printing to the given streams} */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        return execute(services(out, err), args);
    }

    /** {@return the exit code of running {@code args} with these services (also used by {@code demo})} */
    static int execute(Services services, String... args) {
        CommandLine cli = commandLine(services, List.of(args));
        cli.setOut(new PrintWriter(services.out(), true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(services.err(), true, StandardCharsets.UTF_8));
        return cli.execute(args);
    }

    static Services services(PrintStream out, PrintStream err) {
        List<Module> modules = new ArrayList<>(Modules.standard());
        modules.addAll(OmeroModules.all());
        PassphraseProvider passphrases = new ConsolePassphrase(err);
        return new Services(out, err, Clock.systemUTC(), new Random(), System.getenv(), Path.of(System.getProperty("user.home")),
                System.getProperty("user.name"), new ModuleRegistry(modules), new Templating(),
                connection -> new TransportChoice(connection.transport.toString(), Map.of(
                        "mina", () -> new MinaConnectionFactory(passphrases, System::getenv),
                        "jsch", () -> new JschConnectionFactory(passphrases, System::getenv))), new InternalErrors());
    }

    /** {@return the whole command line, every subcommand included} */
    static CommandLine commandLine(Services services) {
        return commandLine(services, List.of());
    }

    /** {@return the command line with the subcommands that running {@code arguments} needs} */
    static CommandLine commandLine(Services services, List<String> arguments) {
        CommandLine cli = new CommandLine(new FleetCommand(), new Factory(services));
        // first: the settings below reach the subcommands there are when they are made
        FleetCommand.subcommandsFor(arguments).forEach(cli::addSubcommand);
        // "@file" belongs to Ansible's --limit (a retry file) and to -e @vars.yml, not to picocli's argument files
        cli.setExpandAtFiles(false);
        // options not given on the command line default to ANSIBLE_* variables, then ansible.cfg
        cli.setDefaultValueProvider(new ConfigDefaults(services::config, services.home()));
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.TABLE);
        // picocli's own help command: its usage ends with an example like every other command's
        Optional.ofNullable(cli.getSubcommands().get("help")).ifPresent(help -> help.getCommandSpec().usageMessage()
                .footerHeading(FleetCommand.EXAMPLES).footer("  omero-fleet help upgrade"));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> handle(e, commandLine, services.internalErrors()));
        cli.setParameterExceptionHandler((thrown, args) -> {
            // picocli checks required options before it reports unknown ones: a typo in a required option's
            // name would read "Missing required option"; say which option is unknown, with suggestions, instead
            CommandLine.ParameterException e = unknownOptions(thrown, args).orElse(thrown);
            e.getCommandLine().getErr().println(e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, e.getCommandLine().getErr());
            e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.INVALID_INPUT;
        });
        return cli;
    }

    /** {@return the long options in {@code args} that the command failing with a missing option does not have} */
    private static Optional<CommandLine.ParameterException> unknownOptions(CommandLine.ParameterException e, String[] args) {
        if (!(e instanceof CommandLine.MissingParameterException)) {
            return Optional.empty();
        }
        CommandLine.Model.CommandSpec spec = e.getCommandLine().getCommandSpec();
        List<String> unknown = Arrays.stream(args).takeWhile(a -> !a.equals("--"))
                .filter(a -> a.startsWith("--") && a.length() > 2 && spec.findOption(a.split("=", 2)[0]) == null).toList();
        return unknown.isEmpty() ? Optional.empty() : Optional.of(new CommandLine.UnmatchedArgumentException(e.getCommandLine(), unknown));
    }

    /** {@return the exit code for an exception a command threw}: 5 for invalid input, 1 for anything else (a bug) */
    private static int handle(Exception e, CommandLine commandLine, InternalErrors internalErrors) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof InvalidInputException) {
            for (InputError error : ((InvalidInputException) e).errors()) {
                err.println("error: " + error.format());
            }
            err.println("nothing was changed on any host");
            return ExitCodes.INVALID_INPUT;
        }
        if (e instanceof UsageException) {
            err.println("error: " + e.getMessage());
            err.println("nothing was changed on any host; see '" + commandLine.getCommandSpec().qualifiedName() + " --help'");
            return ExitCodes.INVALID_INPUT;
        }
        return internalErrors.report(e, err);
    }

    /** Give commands their collaborators through constructors (picocli "Custom Factory"). */
    private static final class Factory implements CommandLine.IFactory {
        private final Services services;

        Factory(Services services) {
            this.services = services;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> withServices = type.getDeclaredConstructor(Services.class);
                withServices.setAccessible(true);
                return withServices.newInstance(services);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
