package org.omerofleet.executor;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.omerofleet.playbook.Play;
import org.omerofleet.playbook.Playbook;
import org.omerofleet.playbook.Step;
import org.omerofleet.playbook.Task;

/**
 * Name every task of a playbook by its place ({@code p1.7}: play 1, seventh task in document order,
 * blocks, rescues and always sections included; {@code p1.h2}: its second handler; {@code p1.facts}: its
 * fact gathering). The same playbook always gives the same names, which is what lets a resumed run
 * match the journal's records to its tasks.
 */
final class TaskIds {

    private final Map<Task, String> ids = new IdentityHashMap<>();
    private final Map<Play, Task> gather = new IdentityHashMap<>();

    TaskIds(Playbook playbook, java.util.function.Function<Play, Task> gatherFacts) {
        List<Play> plays = playbook.plays();
        for (int p = 0; p < plays.size(); p++) {
            Play play = plays.get(p);
            String prefix = "p" + (p + 1) + ".";
            List<Task> tasks = Step.tasksIn(play.tasks());
            for (int t = 0; t < tasks.size(); t++) {
                ids.put(tasks.get(t), prefix + (t + 1));
            }
            for (int h = 0; h < play.handlers().size(); h++) {
                ids.put(play.handlers().get(h), prefix + "h" + (h + 1));
            }
            Task facts = gatherFacts.apply(play);
            gather.put(play, facts);
            ids.put(facts, prefix + "facts");
        }
    }

    /**
     * Name the tasks of a file an include read when it ran ({@code p1.7:tasks/RedHat.yml.3}: the third task of
     * that file, included by task {@code p1.7}), unless they have names already.
     */
    synchronized void name(List<Step> steps, String prefix) {
        List<Task> tasks = Step.tasksIn(steps);
        for (int t = 0; t < tasks.size(); t++) {
            ids.putIfAbsent(tasks.get(t), prefix + (t + 1));
        }
    }

    /** {@return every task of the playbook, handlers and fact gathering included} */
    synchronized java.util.Set<Task> tasks() {
        java.util.Set<Task> tasks = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        tasks.addAll(ids.keySet());
        return tasks;
    }

    synchronized String of(Task task) {
        String id = ids.get(task);
        if (id == null) {
            throw new IllegalStateException("task '" + task.name() + "' is not part of the playbook");
        }
        return id;
    }

    /** {@return the play's fact-gathering task (one object per play, so that it has one name)} */
    Task gatherFacts(Play play) {
        return gather.get(play);
    }
}
