package org.omerofleet.modules;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.TransportException;

/**
 * The second half every file-editing module shares, once it has computed the file's new content: show
 * the diff, back up, write (validated), then set mode, owner and group; nothing is written in check
 * mode. Changed only when the content or an attribute changed, as in Ansible.
 *
 * @param path      the file on the host
 * @param before    what was there
 * @param after     the new content
 * @param message   what the module says it did to the content ({@code line added}), empty when nothing
 * @param backupKey the result key Ansible names the backup under ({@code backup} or {@code backup_file})
 */
record FileEdit(String path, HostFile.State before, byte[] after, String message, String backupKey) {

    /** The message Ansible adds when only the mode, owner or group changed. */
    static final String ATTRIBUTES_CHANGED = "ownership, perms or SE linux context changed";

    /** {@return the task's result: {@code data} extended with {@code changed}, {@code msg}, {@code diff}, the backup} */
    TaskResult apply(TaskContext context, Args args, Map<String, Object> data) throws TransportException {
        Map<String, Object> out = new LinkedHashMap<>(data);
        boolean changed = !Arrays.equals(before.content(), after) || !before.exists();
        if (context.diffMode() && changed) {
            out.put("diff", TextDiff.texts(context, path, before.text(), new String(after, StandardCharsets.UTF_8)));
        }
        if (changed && !context.checkMode()) {
            if (args.bool("backup", false) && before.exists()) {
                out.put(backupKey, HostFile.backup(context, path));
            }
            if (!before.exists()) {
                HostFile.makeParents(context, path);
            }
            Optional<TaskResult> failed = HostFile.write(context, path, after, args.optionalString("validate"));
            if (failed.isPresent()) {
                return failed.get();
            }
        }
        String msg = message;
        if (!(context.checkMode() && !before.exists()) && HostFile.applyAttributes(context, path, HostFile.Attributes.of(args))) {
            msg = msg.isEmpty() ? ATTRIBUTES_CHANGED : msg + " and " + ATTRIBUTES_CHANGED;
            changed = true;
        }
        out.put("changed", changed);
        out.put("msg", msg);
        return new TaskResult.Ok(changed, msg, out);
    }
}
