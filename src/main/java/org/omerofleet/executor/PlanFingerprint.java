package org.omerofleet.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.omerofleet.inventory.Host;
import org.omerofleet.inventory.Inventory;
import org.omerofleet.playbook.Playbook;
import org.omerofleet.transport.FileTransfers;

/**
 * Sum up what a run was asked to do, so that a resume can refuse a plan that changed since the run began
 * (reliability.md CTL-06): the SHA-256 of the playbook file, of the inventory as loaded (hosts, groups and
 * variables, group_vars included), of the extra variables, and of every local file an extra variable
 * names (the release zip). Only hashes are kept: no variable value reaches the journal.
 */
final class PlanFingerprint {

    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private PlanFingerprint() {
    }

    static Map<String, String> of(Playbook playbook, Inventory inventory, Map<String, Object> extraVars) {
        Map<String, String> parts = new LinkedHashMap<>();
        try {
            // a playbook built in memory (an ad-hoc command) has no file: its parsed form stands for it
            parts.put("playbook", sha256(Files.isRegularFile(playbook.file()) ? Files.readAllBytes(playbook.file())
                    : playbook.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + playbook.file(), e);
        }
        Map<String, Object> hosts = new TreeMap<>();
        for (Host h : inventory.hosts().values()) {
            hosts.put(h.name(), Map.of("groups", h.groups(), "vars", h.vars()));
        }
        parts.put("inventory", sha256(canonical(hosts)));
        parts.put("extra variables", sha256(canonical(extraVars)));
        new TreeMap<>(extraVars).forEach((name, value) -> {
            if (value instanceof String s && !s.isBlank() && !s.contains("\n") && Files.isRegularFile(Path.of(s))) {
                parts.put("file named by " + name, FileTransfers.fileSha256(Path.of(s)));
            }
        });
        return parts;
    }

    private static byte[] canonical(Object value) {
        try {
            return CANONICAL.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String sha256(byte[] bytes) {
        MessageDigest digest = FileTransfers.sha256();
        digest.update(bytes);
        return FileTransfers.hex(digest);
    }
}
