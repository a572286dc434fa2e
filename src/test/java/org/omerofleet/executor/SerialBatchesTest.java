package org.omerofleet.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SerialBatchesTest {

    private static final List<Integer> TEN = IntStream.rangeClosed(1, 10).boxed().collect(Collectors.toList());

    private static List<Integer> sizes(List<Object> serial) {
        return SerialBatches.split(TEN, serial).stream().map(List::size).collect(Collectors.toList());
    }

    @Test
    void noSerialIsOneBatch() {
        assertEquals(List.of(10), sizes(List.of()));
    }

    @Test
    void serialTwoRunsHostsInBatchesOfTwo() {
        assertEquals(List.of(2, 2, 2, 2, 2), sizes(List.of(2)));
    }

    @Test
    void remainderGoesIntoTheFinalBatch() {
        assertEquals(List.of(3, 3, 3, 1), sizes(List.of(3)));
    }

    @Test
    void percentageRoundsDownButNeverBelowOneHost() {
        assertEquals(List.of(2, 2, 2, 2, 2), sizes(List.of("25%")));
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1), sizes(List.of("1%")));
    }

    @Test
    void listIsACanaryThenTheLastSizeRepeats() {
        assertEquals(List.of(1, 2, 2, 2, 2, 1), sizes(List.of(1, "25%")));
        assertEquals(List.of(1, 5, 4), sizes(List.of(1, 5, "100%")));
    }

    @Test
    void batchesKeepInventoryOrder() {
        assertEquals(List.of(List.of(1), List.of(2, 3, 4, 5, 6, 7, 8, 9, 10)), SerialBatches.split(TEN, List.of(1, "100%")));
    }

    @org.junit.jupiter.api.Test
    void aBatchSizeOfZeroMeansEveryHostAsInAnsible() {
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(java.util.List.of("a", "b", "c")),
                SerialBatches.split(java.util.List.of("a", "b", "c"), java.util.List.of(0)));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(java.util.List.of("a"), java.util.List.of("b", "c")),
                SerialBatches.split(java.util.List.of("a", "b", "c"), java.util.List.of(1, 0)));
    }
}
