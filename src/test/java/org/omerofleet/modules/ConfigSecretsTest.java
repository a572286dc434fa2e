package org.omerofleet.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigSecretsTest {

    @Test
    void IN09_secretNamedPropertiesOfConfigXmlAreFoundEscapedAndNot() {
        String xml = """
                <icegrid>
                  <properties id="default">
                    <property name="omero.db.name" value="omero"/>
                    <property name="omero.db.pass" value="db-pw-1"/>
                    <property name="omero.ldap.password" value="a&amp;b&lt;c"/>
                    <property value="tok-2" name="omero.web.API_TOKEN"/>
                    <property name="omero.web.secret_key" value="sk-3"/>
                    <property name="omero.security.password_required" value="true"/>
                    <property name="omero.db.user" value="omero"/>
                  </properties>
                </icegrid>
                """;
        assertEquals(Set.of("db-pw-1", "a&amp;b&lt;c", "a&b<c", "tok-2", "sk-3"), ConfigSecrets.in(xml));
    }

    @Test
    void IN09_secretNamedPropertiesOfConfigGetOutputAreFound() {
        String text = "omero.db.host=localhost\nomero.db.pass = p w\r\nomero.security.keyStorePassword=ks-9\nomero.db.name=omero\nomero.ldap.password=\n";
        assertEquals(Set.of("p w", "ks-9"), ConfigSecrets.in(text));
    }
}
