package org.omerofleet.sandbox;

/**
 * Name the database an OMERO host uses and the role it logs in as.
 *
 * @param name the database name ({@code omero.db.name})
 * @param user the login role ({@code omero.db.user})
 * @param password the role's password ({@code omero.db.pass}); never printed by {@link #toString()}
 */
public record DbSettings(String name, String user, String password) {

    /** Reject blank fields. */
    public DbSettings {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("database name must not be blank");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("database user must not be blank");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("database password must not be empty");
        }
    }

    /** {@return the settings with the password masked} */
    @Override
    public String toString() {
        return "DbSettings[name=" + name + ", user=" + user + ", password=********]";
    }
}
