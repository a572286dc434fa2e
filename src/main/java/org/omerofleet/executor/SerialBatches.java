package org.omerofleet.executor;

import java.util.ArrayList;
import java.util.List;

/**
 * Split a play's hosts into batches the way Ansible's {@code serial} does.
 */
public final class SerialBatches {

    private SerialBatches() {
    }

    /**
     * {@return the hosts cut into batches} Each size is an Integer or a {@code "N%"} string; the last size
     * repeats until every host is placed; a percentage rounds down but never below one host; an empty
     * list gives a single batch.
     */
    public static <T> List<List<T>> split(List<T> hosts, List<Object> serial) {
        List<List<T>> batches = new ArrayList<>();
        if (hosts.isEmpty()) {
            return batches;
        }
        if (serial.isEmpty()) {
            batches.add(List.copyOf(hosts));
            return batches;
        }
        int next = 0;
        int i = 0;
        while (next < hosts.size()) {
            Object size = serial.get(Math.min(i, serial.size() - 1));
            int wanted = sizeOf(size, hosts.size());
            // as in Ansible: a batch size of 0 (or less) means every remaining host; a percentage rounds down to at least 1
            boolean zero = !String.valueOf(size).trim().endsWith("%") && wanted <= 0;
            int n = zero ? hosts.size() - next : Math.max(1, wanted);
            int end = Math.min(hosts.size(), next + n);
            batches.add(List.copyOf(hosts.subList(next, end)));
            next = end;
            i++;
        }
        return batches;
    }

    private static int sizeOf(Object size, int total) {
        if (size instanceof Number) {
            return ((Number) size).intValue();
        }
        String text = String.valueOf(size).trim();
        if (text.endsWith("%")) {
            double percent = Double.parseDouble(text.substring(0, text.length() - 1).trim());
            return (int) Math.floor(total * percent / 100.0);
        }
        return Integer.parseInt(text);
    }
}
