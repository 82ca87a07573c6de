package dev.batchetl.storage;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

class StorageFaultsTests {

    @Test
    void aLostConnectionIsToldFromARefusalOfTheData() {
        assertThat(StorageFaults.isConnectionLoss(new SQLException("I/O error", "08006"))).isTrue();
        assertThat(StorageFaults.isConnectionLoss(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(StorageFaults.isConnectionLoss(new CannotGetJdbcConnectionException("no connection"))).isTrue();
        // HikariCP's closed connection, behind the rollback that failed on it
        assertThat(StorageFaults.isConnectionLoss(
                new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"))))
            .isTrue();
        // the commit's own failure, hidden behind a rollback that failed for another
        // reason
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("something else", "XX000"));
        rollback.initApplicationException(new SQLException("An I/O error occurred", "08006"));
        assertThat(StorageFaults.isConnectionLoss(rollback)).isTrue();

        assertThat(StorageFaults.isConnectionLoss(
                new DataIntegrityViolationException("duplicate key", new SQLException("duplicate key", "23505"))))
            .isFalse();
        assertThat(StorageFaults.isConnectionLoss(new SQLException("disk full", "53100"))).isFalse();
        assertThat(StorageFaults.isConnectionLoss(new IllegalStateException("no"))).isFalse();
    }

    @Test
    void aJdbcUrlIsShownAsWhereItPoints() {
        assertThat(StorageFaults.location("jdbc:postgresql://127.0.0.1:5432/test?user=x&password=secret"))
            .isEqualTo("127.0.0.1:5432/test");
        assertThat(StorageFaults.location("jdbc:postgresql://db.example.org/etl")).isEqualTo("db.example.org:5432/etl");
        assertThat(StorageFaults.location("jdbc:postgresql://[::1]/etl")).isEqualTo("[::1]:5432/etl");
        assertThat(StorageFaults.location("jdbc:h2:file:./.batch-etl/repository;MODE=PostgreSQL;AUTO_SERVER=TRUE"))
            .isEqualTo("the embedded database file:./.batch-etl/repository");
        assertThat(StorageFaults.location("")).isEqualTo("(no URL)");
    }

}
