package org.omerofleet.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.omerofleet.result.TaskResult;

class RedactorTest {

    @Test
    void secretNamedVariablesAreCollected() {
        Map<String, Object> vars = Map.of("omero_db_password", "s3cret!", "ansible_become_pass", "root-pw", "omero_db_name", "omero",
                "nested", Map.of("api_token", "tok-123"));
        assertEquals(Set.of("s3cret!", "root-pw", "tok-123"), Redactor.secretsIn(vars));
    }

    @Test
    void SEC05_aSecretThatIsASubstringOfAnotherLeaksNeither() {
        Redactor r = new Redactor(Set.of("DO_NOT_LOG_abc", "DO_NOT_LOG_abcdef"));
        String out = r.redact("a=DO_NOT_LOG_abcdef b=DO_NOT_LOG_abc");
        assertFalse(out.contains("DO_NOT_LOG"), out);
        assertEquals("a=******** b=********", out);
    }

    @Test
    void SEC05_aSecretLearnedDuringTheRunIsMaskedFromThenOn() {
        Redactor r = new Redactor(Set.of("DO_NOT_LOG_abc"));
        assertEquals("pw=pw-from-host", r.redact("pw=pw-from-host"));
        r.add("pw-from-host");
        r.add("DO_NOT_LOG_abcdef");
        r.add("ab");
        assertEquals("pw=******** a=******** b=******** ab", r.redact("pw=pw-from-host a=DO_NOT_LOG_abcdef b=DO_NOT_LOG_abc ab"));
        assertEquals(Map.of("diff", "+ value=\"********\""), r.redactMap(Map.of("diff", "+ value=\"pw-from-host\"")));
    }

    @Test
    void noLogHidesMessageAndDataButKeepsStatusAndReport() {
        TaskResult shown = Redactor.none().forDisplay(new TaskResult.Ok(true, "secret output", Map.of("stdout", "x"),
                Map.of("backup_path", "/b")), true);
        assertEquals(TaskResult.Status.CHANGED, shown.status());
        assertEquals(Redactor.HIDDEN, shown.message());
        assertEquals(Map.of("backup_path", "/b"), shown.report());
    }

    @Test
    void secretNamedKeysAreMaskedInReportsEvenWithoutKnownValues() {
        Object out = Redactor.none().redactValue(Map.of("list", List.of("a"), "db_password", "whatever"));
        assertEquals(Map.of("list", List.of("a"), "db_password", Redactor.MASK), out);
    }
}
