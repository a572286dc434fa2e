package org.omerofleet.modules.omero;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.omerofleet.modules.ConfigSecrets;

/**
 * The {@code omero.*} settings of a host's active config.xml profile, as {@code bin/omero config get
 * --show-password} prints them, made safe to report: a secret's value (by {@link ConfigSecrets}'
 * names: pass, secret, key, token) becomes {@code ********}, and only a digest of it is kept so that
 * hosts can be compared. The digest is HMAC-SHA-256 under a random key made when this object is and
 * never written anywhere: equal digests within one run mean equal values, and outside the run a
 * digest says nothing about the value.
 */
final class OmeroSettings {

    static final String MASK = "********";
    /** A line of {@code config get} that starts a setting; any other line continues a multi-line value. */
    private static final Pattern SETTING = Pattern.compile("[A-Za-z0-9_.\\-]+=.*");

    private final byte[] key = new byte[32];

    OmeroSettings() {
        new SecureRandom().nextBytes(key);
    }

    /**
     * What a host reported.
     *
     * @param values  name to value, sorted, secrets masked
     * @param digests {@code [name, digest]} per secret
     * @param secrets the secret values as read, to be masked in everything the run writes
     */
    record Read(Map<String, String> values, List<List<String>> digests, List<String> secrets) {
    }

    /** {@return the {@code omero.*} settings in {@code configGet}, the output of {@code bin/omero config get --show-password}} */
    Read read(String configGet) {
        Map<String, String> raw = parse(configGet);
        Map<String, String> values = new TreeMap<>();
        List<List<String>> digests = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        raw.forEach((name, value) -> {
            if (!name.startsWith("omero.")) {
                return;
            }
            if (ConfigSecrets.isSecretProperty(name) && !value.isEmpty()) {
                values.put(name, MASK);
                digests.add(List.of(name, digest(name, value)));
                secrets.add(value);
            } else {
                values.put(name, value);
            }
        });
        return new Read(values, digests, secrets);
    }

    /** {@return name to value; a later line for the same name wins, as in {@code config get}} */
    static Map<String, String> parse(String configGet) {
        Map<String, String> raw = new TreeMap<>();
        String last = null;
        for (String line : configGet.split("\n", -1)) {
            if (SETTING.matcher(line).matches()) {
                last = line.substring(0, line.indexOf('='));
                raw.put(last, line.substring(line.indexOf('=') + 1));
            } else if (last != null) {
                raw.put(last, raw.get(last) + "\n" + line);
            }
        }
        return raw;
    }

    private String digest(String name, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(name.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
