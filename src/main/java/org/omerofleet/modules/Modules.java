package org.omerofleet.modules;

import java.util.ArrayList;
import java.util.List;

/**
 * List the generic modules every run has. The OMERO modules ({@code modules.omero}) are added by the
 * composition root in {@code cli}: this package does not know its sub-package.
 */
public final class Modules {

    /** What {@code meta:} can do here: {@code flush_handlers} runs the handlers notified so far, {@code noop} nothing, {@code end_host} ends the play for this host, {@code end_play} for every host. */
    public static final java.util.Set<String> META_ACTIONS = java.util.Set.of("flush_handlers", "noop", "end_host", "end_play");

    private Modules() {
    }

    /** {@return new instances of the generic modules} */
    public static List<Module> standard() {
        List<Module> modules = new ArrayList<>();
        modules.add(new CommandModule(false));
        modules.add(new CommandModule(true));
        modules.add(new CopyModule());
        modules.add(new FileModule());
        modules.add(new StatModule());
        modules.add(new FetchModule());
        modules.add(new UnzipModule());
        modules.add(new WaitForModule());
        modules.add(new PingModule());
        modules.add(new LockModule());
        modules.add(new Setup());
        modules.addAll(LocalModules.all());
        return modules;
    }
}
