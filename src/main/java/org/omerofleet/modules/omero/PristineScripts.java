package org.omerofleet.modules.omero;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The scripts a release zip ships in {@code lib/scripts}, by SHA-256, and how an install differs from them. */
final class PristineScripts {

    private PristineScripts() {
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

    /** {@return path under lib/scripts to SHA-256 (hex) of every file the zip ships there} */
    static Map<String, String> read(Path zip) throws IOException {
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
    static Diff compare(Map<String, String> shipped, String sha256sumOutput) {
        List<String> added = new ArrayList<>();
        List<String> modified = new ArrayList<>();
        for (String line : sha256sumOutput.split("\n")) {
            // a name with a backslash or newline is escaped by sha256sum and the line starts with '\'
            if (line.length() < 68 || line.startsWith("\\") || !line.startsWith("./", 66)) {
                continue;
            }
            String sum = line.substring(0, 64);
            String path = line.substring(68);
            String want = shipped.get(path);
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
