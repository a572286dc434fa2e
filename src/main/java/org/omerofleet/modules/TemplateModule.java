package org.omerofleet.modules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.TransportException;

/**
 * Render a Jinja file of the controller ({@code src}) with the host's variables and put the result at
 * {@code dest}, as Ansible's {@code template}: {@code trim_blocks} on by default, trailing newlines kept,
 * {@code newline_sequence}; {@code mode}, {@code owner}, {@code group}, {@code backup}, {@code force},
 * {@code validate} (a command with {@code %s} for the new file, run before it replaces the old one).
 * Changed only when the rendered text or an attribute differs. A relative {@code src} is looked for in
 * the role's {@code templates/} ({@code role_path}), then in {@code templates/} beside the playbook,
 * then beside the playbook.
 */
public final class TemplateModule implements Module {

    @Override
    public String name() {
        return "template";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("src", "dest", "mode", "owner", "group", "backup", "force", "validate", "trim_blocks", "lstrip_blocks",
                "newline_sequence", "follow", "unsafe_writes");
    }

    @Override
    public Set<String> required() {
        return Set.of("src", "dest");
    }

    @Override
    public boolean supportsCheckMode() {
        return true;
    }

    @Override
    public boolean safeToRepeat() {
        return true;
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        String dest = args.string("dest");
        Path source = ControllerFiles.find(context, args.string("src"), "templates");
        if (source == null) {
            return new TaskResult.Failed("Could not find or access '" + args.string("src") + "'");
        }
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the template " + source, e);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("template_path", source.toString());
        extra.put("template_fullpath", source.toAbsolutePath().toString());
        extra.put("template_destpath", dest);
        extra.put("template_host", context.host());
        extra.put("ansible_managed", "Ansible managed");
        String rendered = context.expressions().renderFile(text, extra, args.bool("trim_blocks", true), args.bool("lstrip_blocks", false));
        rendered = newlines(rendered, args.string("newline_sequence", "\n"));
        byte[] content = rendered.getBytes(StandardCharsets.UTF_8);
        HostFile.State before = HostFile.read(context, dest);
        if (before.kind().equals("directory")) {
            dest = dest.replaceFirst("/+$", "") + "/" + source.getFileName();
            before = HostFile.read(context, dest);
        }
        if (!before.kind().equals("absent") && !before.isFile()) {
            return new TaskResult.Failed("template: " + dest + " is not a regular file (or is over " + HostFile.MAX_SIZE + " bytes)");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dest", dest);
        data.put("src", source.toString());
        data.put("checksum", sha1(content));
        data.put("size", content.length);
        if (before.exists() && !args.bool("force", true)) {
            data.put("changed", false);
            return new TaskResult.Ok(false, "file already exists", data);
        }
        return new FileEdit(dest, before, content, "", "backup_file").apply(context, args, data);
    }

    private static String newlines(String text, String sequence) {
        String s = sequence.replace("\\r", "\r").replace("\\n", "\n");
        if (!List.of("\n", "\r", "\r\n").contains(s)) {
            throw new IllegalArgumentException("template: newline_sequence needs to be one of: \\n, \\r or \\r\\n");
        }
        return s.equals("\n") ? text : text.replace("\r\n", "\n").replace("\n", s);
    }

    static String sha1(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
