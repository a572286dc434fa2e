package org.omerofleet.modules.omero;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The scripts a release shipped in {@code lib/scripts}, by SHA-256, and how an install differs from them.
 * They are read from the release's zip, or else from the manifest shipped with the tool
 * ({@code pristine-scripts.tsv}, made by {@code tools/pristine-scripts-manifest.sh} from the tags of
 * ome/scripts, the submodule every release from 4.4.0 to 5.6.1 packed as {@code lib/scripts}). The
 * manifest covers the {@code omero/} tree only, the scripts the server runs.
 */
final class PristineScripts {

    private static final String MANIFEST = "pristine-scripts.tsv";

    private PristineScripts() {
    }

    /**
     * The checksums to compare with, and which installed files they speak for.
     *
     * @param sums   path under {@code lib/scripts} to SHA-256 (hex)
     * @param scope  the prefix of the paths {@code sums} covers ("" for all of them)
     * @param source where the sums come from, for the report
     */
    record Shipped(Map<String, String> sums, String scope, String source) {

        Shipped {
            sums = Map.copyOf(sums);
        }
    }

    /**
     * Added and modified files, relative to {@code lib/scripts}.
     *
     * @param added    on the host, not in the release
     * @param modified in both, with other content
     */
    record Diff(List<String> added, List<String> modified) {

        List<String> all() {
            List<String> all = new ArrayList<>(added);
            all.addAll(modified);
            return List.copyOf(all);
        }
    }

    /** {@return every file a release zip ships under lib/scripts} */
    static Shipped fromZip(Path zip) throws IOException {
        return new Shipped(read(zip), "", zip.getFileName().toString());
    }

    /** {@return the scripts of {@code release} (e.g. {@code 5.4.10}) from the shipped manifest, or empty for a release it lacks} */
    static Optional<Shipped> fromManifest(String release) {
        Map<String, String> sums = new TreeMap<>();
        InputStream in = PristineScripts.class.getResourceAsStream(MANIFEST);
        if (in == null) {
            throw new IllegalStateException(MANIFEST + " is missing from the build");
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String[] f = line.split("\t");
                if (f.length == 3 && f[0].equals(release)) {
                    sums.put(f[1], f[2]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(MANIFEST, e);
        }
        return sums.isEmpty() ? Optional.empty() : Optional.of(new Shipped(sums, "omero/", "the ome/scripts " + release + " manifest"));
    }

    /** {@return path under lib/scripts to SHA-256 (hex) of every file the zip ships there} */
    private static Map<String, String> read(Path zip) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                String name = entry.getName();
                int slash = name.indexOf('/');
                String inner = slash < 0 ? "" : name.substring(slash + 1);
                if (entry.isDirectory() || !inner.startsWith("lib/scripts/")) {
                    continue;
                }
                try (InputStream in = file.getInputStream(entry)) {
                    sums.put(inner.substring("lib/scripts/".length()), sha256(in));
                }
            }
        }
        return sums;
    }

    /** {@return how {@code sha256sum} lines ({@code <hex>  ./<path>}) of an install differ from {@code shipped}} */
    static Diff compare(Shipped shipped, String sha256sumOutput) {
        List<String> added = new ArrayList<>();
        List<String> modified = new ArrayList<>();
        for (String line : sha256sumOutput.split("\n")) {
            // a name with a backslash or newline is escaped by sha256sum and the line starts with '\'
            if (line.length() < 68 || line.startsWith("\\") || !line.startsWith("./", 66)) {
                continue;
            }
            String sum = line.substring(0, 64);
            String path = line.substring(68);
            if (!path.startsWith(shipped.scope())) {
                continue;
            }
            String want = shipped.sums().get(path);
            if (want == null) {
                added.add(path);
            } else if (!want.equals(sum)) {
                modified.add(path);
            }
        }
        added.sort(null);
        modified.sort(null);
        return new Diff(List.copyOf(added), List.copyOf(modified));
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
