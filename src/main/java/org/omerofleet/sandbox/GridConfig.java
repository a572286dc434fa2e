package org.omerofleet.sandbox;

import java.util.Map;

/**
 * Render {@code etc/grid/config.xml}: the IceGrid properties file with an active profile pointer and
 * the {@code default} profile. One property per line, values XML-escaped; {@code bin/omero} relies on
 * exactly this layout when it edits the file.
 */
final class GridConfig {

    private GridConfig() {
    }

    static String render(Map<String, String> defaultProfile) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<icegrid>\n")
                .append("  <properties id=\"__ACTIVE__\">\n")
                .append(property("omero.config.profile", "default"))
                .append(property("omero.config.version", "5.1.0"))
                .append("  </properties>\n  <properties id=\"default\">\n");
        defaultProfile.forEach((k, v) -> xml.append(property(k, v)));
        return xml.append("  </properties>\n</icegrid>\n").toString();
    }

    static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("\n", "&#10;");
    }

    private static String property(String name, String value) {
        return "    <property name=\"" + escape(name) + "\" value=\"" + escape(value) + "\"/>\n";
    }
}
