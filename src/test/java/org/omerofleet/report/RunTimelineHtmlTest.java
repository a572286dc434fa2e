package org.omerofleet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The run timeline's time axis. */
class RunTimelineHtmlTest {

    private static List<String> labels(double totalMs) {
        Matcher m = Pattern.compile("<span>([^<]*)</span>").matcher(RunTimelineHtml.axis(totalMs));
        List<String> labels = new ArrayList<>();
        while (m.find()) {
            labels.add(m.group(1));
        }
        return labels;
    }

    @Test
    void ticksAreOneTwoOrFiveTimesAPowerOfTenWithAtMostTenIntervals() {
        assertEquals(10, RunTimelineHtml.tickStep(95));
        assertEquals(20, RunTimelineHtml.tickStep(101));
        assertEquals(10_000, RunTimelineHtml.tickStep(95_000));
        assertEquals(50_000, RunTimelineHtml.tickStep(420_000));
        assertEquals(1, RunTimelineHtml.tickStep(1));
    }

    @Test
    void labelsSayTheTimeSinceTheRunStartedInUnitsThatFitTheRun() {
        assertEquals(List.of("0 ms", "20 ms", "40 ms", "60 ms", "80 ms", "100 ms", "120 ms"), labels(130));
        assertEquals(List.of("0.0 s", "0.5 s", "1.0 s", "1.5 s", "2.0 s", "2.5 s", "3.0 s"), labels(3_200));
        assertEquals(List.of("0 s", "10 s", "20 s", "30 s", "40 s", "50 s", "60 s", "70 s", "80 s", "90 s"), labels(95_000));
        assertEquals(List.of("0 s", "50 s", "100 s", "150 s", "200 s", "250 s", "300 s", "350 s", "400 s"), labels(420_000));
        assertEquals(List.of("0 s", "3 min 20 s", "6 min 40 s", "10 min", "13 min 20 s", "16 min 40 s", "20 min", "23 min 20 s"),
                labels(1_500_000));
    }

    @Test
    void theLastTickIsWithinTheLane() {
        String axis = RunTimelineHtml.axis(95_000);
        Matcher m = Pattern.compile("left:([0-9.]+)px").matcher(axis);
        double last = -1;
        while (m.find()) {
            last = Double.parseDouble(m.group(1));
        }
        assertTrue(last > 800 && last <= 900, axis);
    }
}
