package dev.batchetl.remote;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which job repository this process uses, as a name that is the same for every process
 * connected to it and differs between databases: the database's name and a random id
 * stored in it ({@code etl_repository}) the first time it is asked for. The name tells
 * apart two databases of one server (also one created from the other as a template, which
 * copies the id) and the id two servers (whose databases often have the same name). A
 * copy restored under the same name elsewhere keeps both, so workers must not be pointed
 * at a restored copy while its original runs. PostgreSQL only: remote partitioning
 * refuses the embedded database.
 */
class RepositoryIdentity {

    private final JdbcTemplate jdbc;

    private volatile String identity;

    RepositoryIdentity(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * {@code DATABASE/UUID}, read once per process (storing the id if the database has
     * none yet).
     */
    String get() {
        String known = this.identity;
        if (known == null) {
            this.jdbc.update("INSERT INTO etl_repository (singleton, id) VALUES (1, ?) ON CONFLICT DO NOTHING",
                    UUID.randomUUID().toString());
            List<String> rows = this.jdbc.queryForList(
                    "SELECT current_database() || '/' || id FROM etl_repository WHERE singleton = 1", String.class);
            known = rows.get(0);
            this.identity = known;
        }
        return known;
    }

}
