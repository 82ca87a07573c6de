package dev.batchetl.storage;

import java.sql.SQLException;

import org.springframework.dao.DataAccessException;

/**
 * Tells a database's refusal of the data (a value out of range, a constraint, a limit of the database: SQLSTATE
 * classes 22, 23 and 54, in PostgreSQL and H2 alike) from a fault of the database itself (connection lost, disk full,
 * a transaction rolled back, a statement the application got wrong), which a retry or a restart may get past.
 */
public final class StorageFaults {

	private StorageFaults() {
	}

	/** Whether the database refused the data itself, so that the fault is the data's, not the database's. */
	public static boolean isAboutTheData(DataAccessException ex) {
		SQLException sql = sqlCause(ex);
		String state = sql == null ? null : sql.getSQLState();
		if (state == null || state.length() < 2) {
			return false;
		}
		return switch (state.substring(0, 2)) {
			case "22", "23", "54" -> true;
			default -> false;
		};
	}

	/** The innermost SQL exception behind ex (preferring a batch's next exception, which has the state), or null. */
	public static SQLException sqlCause(Throwable ex) {
		SQLException found = null;
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof SQLException sql) {
				found = sql;
			}
		}
		SQLException next = found == null ? null : found.getNextException();
		return next != null && next.getSQLState() != null ? next : found;
	}

}
