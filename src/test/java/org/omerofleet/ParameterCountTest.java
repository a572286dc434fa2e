package org.omerofleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * No method or constructor in the main sources takes more than five parameters (CONTRIBUTING.md,
 * "Parameters"). A record's canonical constructor is its declaration, data named component by
 * component, and is not counted; any other constructor of a record is. The sources are parsed with
 * javac's own parser, so lambdas, anonymous classes and compact constructors are seen as written.
 */
class ParameterCountTest {

    private static final Path ROOT = Path.of("src/main/java/org/omerofleet");
    private static final int MOST = 5;

    @Test
    void noMethodOrConstructorTakesMoreThanFiveParameters() throws IOException {
        List<String> violations = new ArrayList<>();
        wideMethods(ROOT).forEach((method, count) ->
                violations.add(method + " takes " + count + " parameters (at most " + MOST + ": gather them into a record)"));
        assertEquals(List.of(), violations);
    }

    @Test
    void canonicalRecordConstructorsAreLeftOutAndEverythingElseCounted(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path pkg = Files.createDirectories(dir.resolve("x"));
        Files.writeString(pkg.resolve("Wide.java"), """
                package x;
                record Wide(int a, int b, int c, int d, int e, int f) {
                    Wide {
                    }
                    Wide(int a, int b, int c, int d, int e, int f, int g) {
                        this(a, b, c, d, e, f);
                    }
                    static void six(int a, int b, int c, int d, int e, int f) {
                        Runnable r = new Runnable() {
                            public void run() {
                            }
                            void seven(int a, int b, int c, int d, int e, int f, int g) {
                            }
                        };
                    }
                    static void five(int a, int b, int c, int d, int e) {
                    }
                }
                record Explicit(int a, int b, int c, int d, int e, int f) {
                    Explicit(int a, int b, int c, int d, int e, int f) {
                        this.a = a; this.b = b; this.c = c; this.d = d; this.e = e; this.f = f;
                    }
                }
                """);
        Map<String, Integer> wide = wideMethods(dir);
        assertEquals(Map.of("x/Wide.java Wide.<init>", 7, "x/Wide.java Wide.six", 6, "x/Wide.java <anonymous>.seven", 7), wide);
    }

    /** {@return every method and constructor under {@code root} with more than five parameters, as "file Class.method" to its count} */
    private static Map<String, Integer> wideMethods(Path root) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Map<String, Integer> wide = new TreeMap<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null); Stream<Path> walk = Files.walk(root)) {
            List<Path> sources = walk.filter(f -> f.toString().endsWith(".java")).toList();
            Iterable<? extends JavaFileObject> objects = files.getJavaFileObjectsFromPaths(sources);
            JavacTask task = (JavacTask) javac.getTask(null, files, null, List.of("-proc:none"), null, objects);
            for (CompilationUnitTree unit : task.parse()) {
                String file = root.toAbsolutePath().relativize(Path.of(unit.getSourceFile().toUri())).toString();
                new WideScanner(file, wide).scan(unit, null);
            }
        }
        return wide;
    }

    private static final class WideScanner extends TreeScanner<Void, Void> {
        private final String file;
        private final Map<String, Integer> wide;
        private final Deque<ClassTree> classes = new ArrayDeque<>();

        WideScanner(String file, Map<String, Integer> wide) {
            this.file = file;
            this.wide = wide;
        }

        @Override
        public Void visitClass(ClassTree tree, Void unused) {
            classes.push(tree);
            try {
                return super.visitClass(tree, unused);
            } finally {
                classes.pop();
            }
        }

        @Override
        public Void visitMethod(MethodTree method, Void unused) {
            ClassTree owner = classes.peek();
            int count = method.getParameters().size();
            if (count > MOST && !canonical(owner, method)) {
                String name = owner.getSimpleName().isEmpty() ? "<anonymous>" : owner.getSimpleName().toString();
                wide.put(file + " " + name + "." + method.getName(), count);
            }
            return super.visitMethod(method, unused);
        }

        /** {@return whether {@code method} is the canonical (or compact) constructor of record {@code owner}} */
        private static boolean canonical(ClassTree owner, MethodTree method) {
            if (owner.getKind() != Tree.Kind.RECORD || !method.getName().contentEquals("<init>")) {
                return false;
            }
            List<String> components = new ArrayList<>();
            for (Tree member : owner.getMembers()) {
                if (member instanceof VariableTree v && !v.getModifiers().getFlags().contains(Modifier.STATIC)) {
                    components.add(v.getName().toString());
                }
            }
            List<String> params = method.getParameters().stream().map(p -> p.getName().toString()).toList();
            return params.equals(components);
        }
    }
}
