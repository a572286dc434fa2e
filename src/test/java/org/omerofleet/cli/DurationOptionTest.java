package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --backup-max-age and --rehearsal-max-age take 90s, 30m, 12h, 30d; a bare number keeps the option's old unit. */
class DurationOptionTest {

    @Test
    void unitsAreSecondsMinutesHoursAndDays() {
        assertEquals(Duration.ofSeconds(90), DurationOption.parse("--x", "90s", ChronoUnit.HOURS));
        assertEquals(Duration.ofMinutes(30), DurationOption.parse("--x", "30m", ChronoUnit.HOURS));
        assertEquals(Duration.ofHours(12), DurationOption.parse("--x", "12h", ChronoUnit.SECONDS));
        assertEquals(Duration.ofDays(30), DurationOption.parse("--x", "30D", ChronoUnit.SECONDS));
    }

    @Test
    void aBareNumberKeepsTheOptionsUnit() {
        assertEquals(Duration.ofSeconds(3600), DurationOption.parse("--backup-max-age", "3600", ChronoUnit.SECONDS));
        assertEquals(Duration.ofHours(168), DurationOption.parse("--rehearsal-max-age", "168", ChronoUnit.HOURS));
    }

    @TempDir
    java.nio.file.Path dir;

    @Test
    void IN03_aMalformedAgeOnTheCommandLineExits5NamingTheOptionBeforeAnyHost() throws Exception {
        java.nio.file.Path zip = java.nio.file.Files.createFile(dir.resolve("OMERO.server-4.4.1-ice34-b3035.zip"));
        java.nio.file.Path inventory = java.nio.file.Files.writeString(dir.resolve("hosts"), "omero1 ansible_host=192.0.2.1\n");

        SandboxCli.Run plan = SandboxCli.cli("plan", "-i", inventory.toString(), "--release", zip.toString(), "--rehearse",
                "--backup-max-age", "2 weeks", "--runs-dir", dir.resolve("runs").toString());
        SandboxCli.Run upgrade = SandboxCli.cli("upgrade", "-i", inventory.toString(), "--release", zip.toString(), "--require-rehearsal",
                "--rehearsal-max-age", "12x", "--runs-dir", dir.resolve("runs").toString());

        assertEquals(ExitCodes.INVALID_INPUT, plan.exit(), plan.out());
        assertTrue(plan.out().contains("--backup-max-age: expected a duration such as 90s, 30m, 12h or 30d (a bare number counts in seconds),"
                + " got '2 weeks'"), plan.out());
        assertEquals(ExitCodes.INVALID_INPUT, upgrade.exit(), upgrade.out());
        assertTrue(upgrade.out().contains("--rehearsal-max-age: expected a duration"), upgrade.out());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("runs")), "no run was started");
    }

    @Test
    void historySinceTakesTheSameUnitsButNoBareNumber() {
        assertEquals(Duration.ofDays(30), HistoryCommand.age("30d"));
        assertEquals(Duration.ofSeconds(600), HistoryCommand.age("600s"));
        UsageException e = assertThrows(UsageException.class, () -> HistoryCommand.age("30"));
        assertEquals("--since: expected a duration such as 90s, 30m, 12h or 30d, got '30'", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12x", "-5", "1.5h", "h", "12 hours", "99999999999999d"})
    void aMalformedDurationIsAUsageErrorNamingTheOption(String text) {
        UsageException e = assertThrows(UsageException.class, () -> DurationOption.parse("--rehearsal-max-age", text, ChronoUnit.HOURS));
        assertTrue(e.getMessage().startsWith("--rehearsal-max-age: "), e.getMessage());
    }
}
