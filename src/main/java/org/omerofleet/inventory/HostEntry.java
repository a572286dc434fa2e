package org.omerofleet.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read one host entry as Ansible's inventory plugins do: an optional {@code :port} suffix
 * ({@code host:2222}, {@code [host]:2222}, {@code [2001:db8::1]:2222}), then ranges expanded
 * ({@code web[01:03].example.com}, {@code db-[a:f]}, {@code www[01:50:2]}).
 *
 * @param names      the host names, expanded
 * @param port       the port digits, if the entry had a {@code :port} suffix
 * @param portOffset where the port digits start in the entry
 */
record HostEntry(List<String> names, Optional<String> port, int portOffset) {

    /** Upper bound for one entry's expansion, so that {@code h[0:99999999]} cannot exhaust memory. */
    static final int MAX_HOSTS = 10_000;

    private static final Pattern BRACKETED_HOST_PORT = Pattern.compile("^\\[(.+)\\]:([0-9]+)$");
    private static final Pattern HOST_PORT = Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)$");
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    HostEntry {
        names = List.copyOf(names);
    }

    /** An entry that cannot be read; {@code offset} counts from the entry's first character. */
    static final class BadEntry extends Exception {
        final int offset;
        final String hint;

        BadEntry(String message, int offset, String hint) {
            super(message, null, false, false);
            this.offset = offset;
            this.hint = hint;
        }
    }

    static HostEntry parse(String entry) throws BadEntry {
        String name = entry;
        int nameOffset = 0;
        Optional<String> port = Optional.empty();
        int portOffset = 0;
        Matcher m = BRACKETED_HOST_PORT.matcher(entry);
        if (!m.matches()) {
            m = HOST_PORT.matcher(entry);
        }
        if (m.matches()) {
            name = m.group(1);
            nameOffset = m.start(1);
            port = Optional.of(m.group(2));
            portOffset = m.start(2);
        } else if (entry.endsWith(":")) {
            throw new BadEntry("host entry '" + entry + "' ends in ':'", entry.length() - 1,
                    "write host:PORT with a port number, or drop the ':'");
        }
        if (name.equals("---")) {
            throw new BadEntry("host entry '---' is the start of a YAML document", 0,
                    "name a YAML inventory *.yml or *.yaml");
        }
        List<String> names = new ArrayList<>();
        expand(name, nameOffset, names);
        return new HostEntry(names, port, portOffset);
    }

    private static void expand(String name, int offset, List<String> out) throws BadEntry {
        int open = name.indexOf('[');
        if (open < 0) {
            if (out.size() >= MAX_HOSTS) {
                throw new BadEntry("host range expands to more than " + MAX_HOSTS + " hosts", offset, null);
            }
            out.add(name);
            return;
        }
        int close = name.indexOf(']', open);
        if (close < 0) {
            throw new BadEntry("host range '" + name.substring(open) + "' has no closing ']'", offset + open, null);
        }
        String head = name.substring(0, open);
        String tail = name.substring(close + 1);
        String[] bounds = name.substring(open + 1, close).split(":", -1);
        int at = offset + open;
        if (bounds.length != 2 && bounds.length != 3) {
            throw new BadEntry("host range '" + name.substring(open, close + 1)
                    + "' must be [start:end] or [start:end:step]", at,
                    bounds.length > 3 ? "write an IPv6 address without brackets unless a :port follows" : null);
        }
        String begin = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        if (end.isEmpty()) {
            throw new BadEntry("host range '" + name.substring(open, close + 1) + "' has no end", at, null);
        }
        int step = 1;
        if (bounds.length == 3) {
            step = number(bounds[2], at, "step");
            if (step < 1) {
                throw new BadEntry("host range step must be at least 1, not " + bounds[2], at, null);
            }
        }
        int width = begin.length() > 1 && begin.startsWith("0") ? begin.length() : 0;
        if (width > 0 && end.length() != width) {
            throw new BadEntry("host range '" + name.substring(open, close + 1)
                    + "' has start and end of different widths", at, "write [01:10], not [01:100]");
        }
        List<String> values = new ArrayList<>();
        int first = LETTERS.indexOf(begin);
        int last = LETTERS.indexOf(end);
        if (begin.length() == 1 && end.length() == 1 && first >= 0 && last >= 0) {
            if (first > last) {
                throw new BadEntry("host range '" + name.substring(open, close + 1) + "' starts after its end", at, null);
            }
            for (int i = first; i <= last; i += step) {
                values.add(String.valueOf(LETTERS.charAt(i)));
            }
        } else {
            int from = number(begin, at, "start");
            int to = number(end, at, "end");
            if (from > to) {
                throw new BadEntry("host range '" + name.substring(open, close + 1) + "' starts after its end", at, null);
            }
            if ((to - (long) from) / step >= MAX_HOSTS) {
                throw new BadEntry("host range expands to more than " + MAX_HOSTS + " hosts", at, null);
            }
            for (long i = from; i <= to; i += step) {
                String digits = Long.toString(i);
                values.add(width > digits.length() ? "0".repeat(width - digits.length()) + digits : digits);
            }
        }
        for (String value : values) {
            expand(head + value + tail, offset, out);
        }
    }

    private static int number(String text, int at, String what) throws BadEntry {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadEntry("host range " + what + " '" + text + "' is not a number or a single letter", at, null);
        }
    }
}
