package org.omerofleet.db;

import java.util.Objects;

/**
 * Name one PostgreSQL database and the role to log in with. {@link #toString()} leaves the password out,
 * so a target may appear in messages.
 *
 * @param host     where the server listens, as seen from this JVM (e.g. the local end of a tunnel)
 * @param port     its TCP port
 * @param database the database name
 * @param user     the login role
 * @param password the role's password (empty where the server trusts the role)
 */
public record DbTarget(String host, int port, String database, String user, String password) {

    public DbTarget {
        requireText(host, "host");
        requireText(database, "database");
        requireText(user, "user");
        Objects.requireNonNull(password, "password");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + database;
    }
}
