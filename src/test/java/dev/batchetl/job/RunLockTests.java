package dev.batchetl.job;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Predicate;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.batchetl.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The run lock gives its connection back to the pool whatever fails while it is taken:
 * with a pool of one connection, a leaked one would leave nothing for the next caller.
 */
class RunLockTests {

    private HikariDataSource pool;

    @BeforeEach
    void onePooledConnection() {
        TestDatabase.jdbc();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabase.URL);
        config.setUsername(TestDatabase.USER);
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(1000);
        this.pool = new HikariDataSource(config);
    }

    @AfterEach
    void closePool() {
        this.pool.close();
    }

    @Test
    void connectionIsReturnedWhenThePlatformCheckFails() throws SQLException {
        // given a connection whose metadata cannot be read
        DataSource failing = failingOn("getMetaData"::equals);

        // when the lock is taken
        assertThatThrownBy(() -> RunLock.tryAcquire(failing, "run-lock-tests"))
            .hasMessageContaining("getMetaData failed");

        // then the pool can still hand out its only connection
        assertThatPoolHasAConnection();
    }

    @Test
    void connectionIsReturnedWhenTheLockQueryFails() throws SQLException {
        // given a connection on which the lock query cannot be prepared
        DataSource failing = failingOn("prepareStatement"::equals);

        // when the lock is taken
        assertThatThrownBy(() -> RunLock.tryAcquire(failing, "run-lock-tests"))
            .hasMessageContaining("prepareStatement failed");

        // then the pool can still hand out its only connection
        assertThatPoolHasAConnection();
    }

    @Test
    void connectionIsHeldWhileTheLockIsAndReturnedWithIt() throws SQLException {
        // given the lock taken on the pool's only connection
        RunLock lock = RunLock.tryAcquire(this.pool, "run-lock-tests");
        assertThat(lock).isNotNull();
        assertThat(this.pool.getHikariPoolMXBean().getActiveConnections()).isEqualTo(1);

        // when it is released
        lock.close();

        // then the connection is back
        assertThatPoolHasAConnection();
    }

    private void assertThatPoolHasAConnection() throws SQLException {
        try (Connection connection = this.pool.getConnection()) {
            assertThat(connection.isValid(1)).isTrue();
        }
    }

    /** The pool, with connections whose methods named as {@code failing} throw. */
    private DataSource failingOn(Predicate<String> failing) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { DataSource.class },
                (proxy, method, args) -> {
                    Object result = invoke(this.pool, method, args);
                    if (!(result instanceof Connection connection)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
                            (p, m, a) -> {
                                if (failing.test(m.getName())) {
                                    throw new SQLException(m.getName() + " failed");
                                }
                                return invoke(connection, m, a);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

}
