package org.omerofleet.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.omerofleet.omero.UpgradeScripts.Resolution;
import org.omerofleet.omero.UpgradeScripts.Step;

/** Properties of script chaining over random sets of upward scripts. */
class UpgradeScriptsPropertiesTest {

    private static final List<SchemaVersion> UNIVERSE = List.of("OMERO4.1__0", "OMERO4.3__0", "OMERO4.4__0",
            "OMERO5.0DEV__6", "OMERO5.0__0", "OMERO5.1__0", "OMERO5.1__1", "OMERO5.2__0", "OMERO5.3__0", "OMERO5.3__1",
            "OMERO5.4__0").stream().map(SchemaVersion::of).toList();

    /** A random release: upward scripts, some prechecks, some helpers, in random order. */
    private static List<String> randomRelease(long seed) {
        Random random = new Random(seed);
        double density = 0.1 + random.nextDouble() * 0.5;
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < UNIVERSE.size(); i++) {
            for (int j = i + 1; j < UNIVERSE.size(); j++) {
                if (random.nextDouble() < density) {
                    String dir = "sql/psql/" + UNIVERSE.get(j) + "/";
                    paths.add(dir + UNIVERSE.get(i) + ".sql");
                    if (random.nextBoolean()) {
                        paths.add(dir + UNIVERSE.get(i) + "-precheck.sql");
                    }
                    if (random.nextInt(4) == 0) {
                        paths.add(dir + "psql-footer.sql");
                    }
                }
            }
        }
        Collections.shuffle(paths, random);
        return paths;
    }

    /**
     * A random release with at least one chain from {@code current} to the newest schema of the universe, in random
     * hops, so that every try has a path to check.
     */
    private static List<String> releaseWithAPathFrom(long seed, int current) {
        List<String> paths = new ArrayList<>(randomRelease(seed));
        Random random = new Random(~seed);
        int last = UNIVERSE.size() - 1;
        for (int from = current; from < last; ) {
            int to = from + 1 + random.nextInt(last - from);
            paths.add("sql/psql/" + UNIVERSE.get(to) + "/" + UNIVERSE.get(from) + ".sql");
            from = to;
        }
        Collections.shuffle(paths, random);
        return paths;
    }

    @Property(tries = 500)
    void everyPathIsAnIncreasingChainFromCurrentToTheHighest(@ForAll long seed, @ForAll("belowTheTop") int start) {
        UpgradeScripts scripts = UpgradeScripts.fromPaths(releaseWithAPathFrom(seed, start));
        SchemaVersion current = UNIVERSE.get(start);
        Resolution r = scripts.resolve(current);
        assertEquals(Resolution.Kind.PATH, r.kind(), r.message());
        List<Step> steps = r.steps();
        assertEquals(current, steps.get(0).from());
        assertEquals(scripts.highest().orElseThrow(), steps.get(steps.size() - 1).to());
        for (int i = 0; i < steps.size(); i++) {
            assertTrue(steps.get(i).to().isNewerThan(steps.get(i).from()));
            if (i > 0) {
                assertEquals(steps.get(i - 1).to(), steps.get(i).from());
            }
            assertTrue(steps.get(i).script().endsWith("/" + steps.get(i).to() + "/" + steps.get(i).from() + ".sql"));
            assertTrue(steps.get(i).precheck().map(p -> p.endsWith("-precheck.sql")).orElse(true));
        }
    }

    @Property(tries = 500)
    void choosesTheSamePathAsOmegosSearch(@ForAll long seed, @ForAll("index") int start) {
        List<String> paths = randomRelease(seed);
        UpgradeScripts scripts = UpgradeScripts.fromPaths(paths);
        SchemaVersion current = UNIVERSE.get(Math.floorMod(start, UNIVERSE.size()));
        Resolution r = scripts.resolve(current);
        Optional<List<String>> omego = OmegoModel.resolve(paths, current);
        if (r.kind() == Resolution.Kind.PATH) {
            assertEquals(omego, Optional.of(r.steps().stream().map(Step::script).toList()));
        } else if (r.kind() == Resolution.Kind.NO_PATH && scripts.highest().isPresent()) {
            assertEquals(Optional.empty(), omego);
        }
    }

    @Provide
    Arbitrary<Integer> belowTheTop() {
        return Arbitraries.integers().between(0, UNIVERSE.size() - 2);
    }

    @Provide
    Arbitrary<Integer> index() {
        return Arbitraries.integers().between(0, UNIVERSE.size() - 1);
    }

    /** A line-by-line model of omego's matrix and search, without its shortcuts, to compare with. */
    private static final class OmegoModel {

        static Optional<List<String>> resolve(List<String> paths, SchemaVersion current) {
            List<String> files = paths.stream().filter(p -> !p.endsWith("-precheck.sql") && !p.endsWith("footer.sql"))
                    .toList();
            TreeSet<SchemaVersion> set = new TreeSet<>();
            for (String f : files) {
                set.add(from(f));
                set.add(to(f));
            }
            List<SchemaVersion> versions = new ArrayList<>(set);
            int n = versions.size();
            String[][] m = new String[n][n];
            for (String f : files) {
                m[versions.indexOf(from(f))][versions.indexOf(to(f))] = f;
            }
            int ifrom = versions.indexOf(current);
            if (ifrom < 0 || ifrom == n - 1) {
                return Optional.empty();
            }
            return search(m, ifrom, n - 1);
        }

        private static Optional<List<String>> search(String[][] m, int ifrom, int ito) {
            for (int p = m.length - 1; p > 0; p--) {
                if (m[ifrom][p] != null) {
                    if (p == ito) {
                        return Optional.of(List.of(m[ifrom][p]));
                    }
                    Optional<List<String>> rest = search(m, p, ito);
                    if (rest.isPresent()) {
                        List<String> path = new ArrayList<>();
                        path.add(m[ifrom][p]);
                        path.addAll(rest.get());
                        return Optional.of(path);
                    }
                }
            }
            return Optional.empty();
        }

        private static SchemaVersion from(String path) {
            String base = path.substring(path.lastIndexOf('/') + 1);
            return SchemaVersion.of(base.substring(0, base.length() - ".sql".length()));
        }

        private static SchemaVersion to(String path) {
            String dir = path.substring(0, path.lastIndexOf('/'));
            return SchemaVersion.of(dir.substring(dir.lastIndexOf('/') + 1));
        }
    }
}
