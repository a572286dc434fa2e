package org.omerofleet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.omerofleet.executor.TagSelection;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.inventory.HostPattern;
import org.omerofleet.inventory.Inventory;
import org.omerofleet.playbook.Block;
import org.omerofleet.playbook.ImplicitFlush;
import org.omerofleet.playbook.Include;
import org.omerofleet.playbook.Play;
import org.omerofleet.playbook.Playbook;
import org.omerofleet.playbook.Step;
import org.omerofleet.playbook.Task;
import org.omerofleet.playbook.Templating;

/**
 * Print what {@code ansible-playbook --list-hosts}, {@code --list-tasks} and {@code --list-tags} print,
 * in the same layout, from the loaded playbook: the tasks of every play's {@code pre_tasks},
 * {@code tasks} and {@code post_tasks} (blocks' {@code rescue} and {@code always} sections and handlers
 * are not listed, as there), filtered by {@code --tags}/{@code --skip-tags}. Hosts are listed in
 * inventory order (Ansible prints them from a set, in no fixed order).
 *
 * @param what       which lists to print
 * @param tags       {@code --tags}
 * @param skipTags   {@code --skip-tags}
 */
record PlaybookListing(Set<What> what, Set<String> tags, Set<String> skipTags) {

    /** The lists {@code ansible-playbook} can print instead of running. */
    enum What { HOSTS, TASKS, TAGS }

    /** {@return the text to print for {@code playbook}, shown under the name {@code given}} */
    String render(Playbook playbook, String given, Inventory inventory, Optional<String> limit, Map<String, Object> extraVars)
            throws InvalidInputException {
        StringBuilder out = new StringBuilder("\nplaybook: ").append(given).append('\n');
        Path baseDir = playbook.file().toAbsolutePath().getParent();
        Set<String> limited = limit.isPresent() ? new HashSet<>(HostPattern.select(inventory, limit.get(), Path.of("").toAbsolutePath())) : null;
        Templating templating = new Templating();
        int index = 0;
        for (Play play : playbook.plays()) {
            String pattern = pattern(templating, play, extraVars);
            out.append("\n  play #").append(++index).append(" (").append(pattern).append("): ").append(play.name())
                    .append("\tTAGS: [").append(String.join(",", play.tags())).append("]\n");
            if (what.contains(What.HOSTS)) {
                List<String> hosts = new ArrayList<>(HostPattern.select(inventory, pattern, baseDir));
                if (limited != null) {
                    hosts.removeIf(h -> !limited.contains(h));
                }
                out.append("    pattern: ['").append(pattern).append("']\n    hosts (").append(hosts.size()).append("):\n");
                hosts.forEach(h -> out.append("      ").append(h).append('\n'));
            }
            if (what.contains(What.TASKS) || what.contains(What.TAGS)) {
                tasks(play, out);
            }
        }
        return out.toString();
    }

    private static String pattern(Templating templating, Play play, Map<String, Object> extraVars) {
        try {
            return String.valueOf(templating.render(play.hosts(), extraVars));
        } catch (org.omerofleet.playbook.TemplateException e) {
            throw new UsageException("play '" + play.name() + "' at " + play.where() + ": hosts: " + e.getMessage(), e);
        }
    }

    private void tasks(Play play, StringBuilder out) {
        Set<String> all = new TreeSet<>(play.tags());
        if (what.contains(What.TASKS)) {
            out.append("    tasks:\n");
        }
        for (Task task : listed(play.tasks())) {
            all.addAll(task.tags());
            if (what.contains(What.TASKS)) {
                Set<String> shown = new TreeSet<>(play.tags());
                shown.addAll(task.tags());
                out.append("      ").append(label(task)).append("\tTAGS: [").append(String.join(", ", shown)).append("]\n");
            }
        }
        if (what.contains(What.TAGS)) {
            out.append("      TASK TAGS: [").append(String.join(", ", all)).append("]\n");
        }
    }

    /** {@return the task's name as Ansible lists it: prefixed with its role's name, {@code role : name}} */
    private static String label(Task task) {
        Object role = task.vars().get("role_name");
        return role == null ? task.name() : role + " : " + task.name();
    }

    /**
     * {@return the tasks Ansible lists: each block's own tasks (not rescue or always), a dynamic include as
     * the one task it is (its file is read only when it runs), those the tags select}
     */
    private List<Task> listed(List<? extends Step> steps) {
        List<Task> tasks = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Block block) {
                tasks.addAll(listed(block.block()));
            } else if (step instanceof Include include) {
                tasks.addAll(listed(List.of(include.task())));
            } else if (!ImplicitFlush.is((Task) step) && TagSelection.selected((Task) step, tags, skipTags)) {
                tasks.add((Task) step);
            }
        }
        return tasks;
    }
}
