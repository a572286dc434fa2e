package org.omerofleet.transport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The private keys of a connection factory, read once per file for its life, whatever the transport:
 * with many forks, an encrypted key asks for its passphrase once, not once per host.
 *
 * @param <K> the transport's loaded-key type
 */
public final class KeyFiles<K> {

    /** Read one key file (a transport's own parser), asking for a passphrase through {@link #passphrase} when needed. */
    @FunctionalInterface
    public interface Reader<K> {
        List<K> read(Path file) throws TransportException;
    }

    private final Map<Path, List<K>> loaded = new HashMap<>();

    /** {@return the keys of {@code files}, in order, each file read on first use only} */
    public synchronized List<K> identities(List<Path> files, Reader<K> reader) throws TransportException {
        List<K> all = new ArrayList<>();
        for (Path file : files) {
            List<K> keys = loaded.get(file);
            if (keys == null) {
                keys = List.copyOf(reader.read(file));
                loaded.put(file, keys);
            }
            all.addAll(keys);
        }
        return all;
    }

    /** Forget every key, letting {@code dispose} wipe each. */
    public synchronized void clear(Consumer<K> dispose) {
        loaded.values().forEach(keys -> keys.forEach(dispose));
        loaded.clear();
    }

    /** {@return the ssh-agent socket OpenSSH would use: {@code $SSH_AUTH_SOCK}, when set and not empty} */
    public static Optional<Path> agentSocket(Function<String, String> environment) {
        return Optional.ofNullable(environment.apply("SSH_AUTH_SOCK")).filter(s -> !s.isBlank()).map(Path::of);
    }

    /**
     * {@return the passphrase of {@code file}: from the environment variable named by {@code passphraseEnv}
     * when it is set and not empty, else from {@code asked} (a prompt)} The caller wipes the array.
     */
    public static Optional<char[]> passphrase(Path file, Optional<String> passphraseEnv, Function<String, String> environment,
                                              PassphraseProvider asked) {
        Optional<String> fromEnv = passphraseEnv.map(environment).filter(v -> !v.isEmpty());
        if (fromEnv.isPresent()) {
            return Optional.of(fromEnv.get().toCharArray());
        }
        return asked.passphrase(file.toString());
    }
}
