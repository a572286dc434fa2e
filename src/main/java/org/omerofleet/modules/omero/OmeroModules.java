package org.omerofleet.modules.omero;

import java.util.List;
import org.omerofleet.modules.Module;

/**
 * List the OMERO and PostgreSQL modules.
 */
public final class OmeroModules {

    private OmeroModules() {
    }

    /** {@return new instances of every OMERO module, each running its commands in the login environment ({@link LoginEnvironment})} */
    public static List<Module> all() {
        return modules().stream().map(m -> (Module) new LoginEnvironment(m)).toList();
    }

    private static List<Module> modules() {
        return List.of(new OmeroFacts(), new OmeroPlan(), new OmeroPrecheck(), new OmeroServer(false), new OmeroServer(true), new OmeroConfig(),
                new OmeroLink(), new PgBackup(), new OmeroDbUpgrade(), new PgRestore(), new PgOptimize(), new OmeroScripts(),
                new OmeroEnv(), new OmeroVenv(), new OmeroVenvSetup(), new OmeroRehearse(), new OmeroWebServer(), new OmeroProfile());
    }
}
