package org.omerofleet.executor;

import java.nio.file.Path;
import java.time.Clock;
import org.omerofleet.modules.ModuleRegistry;
import org.omerofleet.playbook.Templating;

/**
 * What every task of one run shares: the modules, the templating, the hosts' connections, the run's
 * options, its clock and directories (the playbook's and the run's), where events go and the redactor
 * that masks secrets in them.
 */
record RunScope(ModuleRegistry modules, Templating templating, ConnectionPool connections, RunOptions options, Clock clock,
                Path baseDir, Path runDir, RunListener listener, Redactor redactor) {
}
