package org.omerofleet.modules;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Find the secrets in configuration text read from a host: the values of properties whose names say
 * they are secret ({@code pass}, {@code secret}, {@code key}, {@code token}, any case), in OMERO's
 * {@code etc/grid/config.xml} ({@code <property name=".." value=".."/>}) and in {@code name=value}
 * lines ({@code bin/omero config get}, {@code .properties} files).
 */
public final class ConfigSecrets {

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(pass|secret|key|token).*");
    private static final Pattern XML_PROPERTY = Pattern.compile("<property\\s+name=\"([^\"]*)\"\\s+value=\"([^\"]*)\"|"
            + "<property\\s+value=\"([^\"]*)\"\\s+name=\"([^\"]*)\"");
    private static final Pattern LINE_PROPERTY = Pattern.compile("(?m)^[ \\t]*([A-Za-z0-9_.\\-]+)[ \\t]*=[ \\t]*([^\\r\\n]*?)[ \\t]*\\r?$");
    /** Flags such as {@code omero.security.password_required=true} say nothing secret. */
    private static final Set<String> FLAGS = Set.of("true", "false", "yes", "no", "on", "off", "none", "null");

    private ConfigSecrets() {
    }

    /** {@return whether a configuration property with this name holds a secret} */
    public static boolean isSecretProperty(String name) {
        return SECRET_NAME.matcher(name).matches();
    }

    /**
     * {@return the secret values in {@code text}} From config.xml each value is given both as written
     * (XML-escaped, as a diff shows it) and as meant (unescaped, as a program would use it).
     */
    public static Set<String> in(String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher xml = XML_PROPERTY.matcher(text);
        while (xml.find()) {
            String name = xml.group(1) != null ? xml.group(1) : xml.group(4);
            String value = xml.group(1) != null ? xml.group(2) : xml.group(3);
            if (isSecretProperty(unescape(name))) {
                add(found, value);
                add(found, unescape(value));
            }
        }
        Matcher line = LINE_PROPERTY.matcher(text);
        while (line.find()) {
            if (isSecretProperty(line.group(1))) {
                add(found, line.group(2));
            }
        }
        return found;
    }

    private static void add(Set<String> found, String value) {
        if (!value.isEmpty() && !FLAGS.contains(value.toLowerCase(Locale.ROOT))) {
            found.add(value);
        }
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }
}
