package org.omerofleet.playbook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.yaml.YamlNode;

/**
 * The files {@code include_vars: dir:} reads, chosen and ordered as Ansible's include_vars action does:
 * the directory and those below it (down to {@code depth}, 0 for all) in the order of their paths, the
 * files of each by name; a file is left out when {@code files_matching} does not match its name or one
 * of {@code ignore_files} matches its end; a file whose extension is not one of {@code extensions} is an
 * error, or left out with {@code ignore_unknown_extensions}.
 */
final class VarsDir {

    static final Set<String> ARGUMENTS = Set.of("dir", "name", "depth", "files_matching", "ignore_files", "extensions",
            "ignore_unknown_extensions");
    private static final List<String> EXTENSIONS = List.of("yaml", "yml", "json");

    /** Where an argument is wrong. */
    @FunctionalInterface
    interface Errors {
        void error(SourcePosition where, String message, String hint);
    }

    /** The directory cannot be read as asked: missing, not a directory, or a file with an unknown extension. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final int depth;
    private final Optional<Pattern> matching;
    private final List<Pattern> ignored;
    private final List<String> extensions;
    private final boolean ignoreUnknown;

    private VarsDir(int depth, Optional<Pattern> matching, List<Pattern> ignored, List<String> extensions, boolean ignoreUnknown) {
        this.depth = depth;
        this.matching = matching;
        this.ignored = ignored;
        this.extensions = extensions;
        this.ignoreUnknown = ignoreUnknown;
    }

    /** {@return the options of an {@code include_vars} with {@code dir}, or empty after reporting a wrong one} */
    static Optional<VarsDir> of(YamlNode.Mapping args, Errors errors) {
        int before = count(errors);
        int depth = args.get("depth").map(n -> wholeNumber(n, "depth", errors)).orElse(0);
        Optional<Pattern> matching = args.get("files_matching").flatMap(n -> pattern(n, "", "files_matching", errors));
        List<Pattern> ignored = new ArrayList<>();
        args.get("ignore_files").ifPresent(n -> {
            List<String> patterns = n instanceof YamlNode.Scalar s ? List.of(s.text().strip().split("\\s+")) : texts(n);
            patterns.stream().filter(p -> !p.isEmpty()).forEach(p -> pattern(new YamlNode.Scalar(n.position(), p, YamlNode.Scalar.Type.STRING),
                    "$", "ignore_files", errors).ifPresent(ignored::add));
        });
        List<String> extensions = EXTENSIONS;
        if (args.get("extensions").isPresent()) {
            YamlNode n = args.get("extensions").get();
            if (n instanceof YamlNode.Sequence) {
                extensions = texts(n);
            } else {
                errors.error(n.position(), "'extensions' must be a list, got " + n.kind(), "e.g. extensions: [yml, yaml]");
            }
        }
        boolean ignoreUnknown = args.get("ignore_unknown_extensions").map(n -> n.toValue() instanceof Boolean b && b
                || String.valueOf(n.toValue()).equalsIgnoreCase("yes")).orElse(false);
        VarsDir dir = new VarsDir(depth, matching, List.copyOf(ignored), List.copyOf(extensions), ignoreUnknown);
        return count(errors) == before ? Optional.of(dir) : Optional.empty();
    }

    /** The reporter counts nothing itself: a wrapper does, to tell whether an argument was wrong. */
    private static int count(Errors errors) {
        return errors instanceof Counting c ? c.count : 0;
    }

    /** An {@link Errors} that counts what it passes on. */
    static final class Counting implements Errors {
        private final Errors to;
        private int count;

        Counting(Errors to) {
            this.to = to;
        }

        @Override
        public void error(SourcePosition where, String message, String hint) {
            count++;
            to.error(where, message, hint);
        }
    }

    private static List<String> texts(YamlNode node) {
        List<String> out = new ArrayList<>();
        if (node instanceof YamlNode.Sequence seq) {
            seq.items().forEach(i -> out.add(String.valueOf(i.toValue())));
        } else {
            out.add(String.valueOf(node.toValue()));
        }
        return out;
    }

    private static int wholeNumber(YamlNode n, String field, Errors errors) {
        if (n instanceof YamlNode.Scalar s && s.text().strip().matches("\\d+")) {
            return Integer.parseInt(s.text().strip());
        }
        errors.error(n.position(), "'" + field + "' must be a whole number, got " + n.kind(), null);
        return 0;
    }

    private static Optional<Pattern> pattern(YamlNode n, String suffix, String field, Errors errors) {
        String text = String.valueOf(n.toValue());
        try {
            return Optional.of(Pattern.compile(text + suffix));
        } catch (PatternSyntaxException e) {
            errors.error(n.position(), "'" + field + "': invalid regular expression '" + text + "': " + e.getDescription(), null);
            return Optional.empty();
        }
    }

    /** {@return the files to read from {@code dir}, in the order their variables are merged (a later one wins)} */
    List<Path> files(Path dir) throws Refused {
        if (!Files.exists(dir)) {
            throw new Refused(dir + " directory does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new Refused(dir + " is not a directory");
        }
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            dirs = walk.filter(Files::isDirectory).sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new Refused("cannot read " + dir + ": " + e.getMessage());
        }
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            int level = dir.relativize(d).toString().isEmpty() ? 1 : dir.relativize(d).getNameCount() + 1;
            if (depth != 0 && level > depth) {
                continue;
            }
            for (Path file : filesIn(d)) {
                String name = file.getFileName().toString();
                if (matching.isPresent() && !matching.get().matcher(name).find()) {
                    continue;
                }
                boolean ignore = ignored.stream().anyMatch(p -> p.matcher(name).find());
                boolean known = extensions.contains(extension(name));
                if (ignore || ignoreUnknown && !known) {
                    continue;
                }
                if (!known) {
                    throw new Refused(file + " does not have a valid extension: " + String.join(", ", extensions));
                }
                out.add(file);
            }
        }
        return out;
    }

    private static List<Path> filesIn(Path dir) throws Refused {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> !Files.isDirectory(p)).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new Refused("cannot read " + dir + ": " + e.getMessage());
        }
    }

    /** {@return the extension of a file name as Python's os.path.splitext gives it, without the dot; leading dots do not count} */
    static String extension(String name) {
        int start = 0;
        while (start < name.length() && name.charAt(start) == '.') {
            start++;
        }
        int dot = name.lastIndexOf('.');
        return dot > start ? name.substring(dot + 1) : "";
    }
}
