package dev.batchetl.job;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a process records about itself so that another process can later tell whether it
 * is still alive: host name, pid and the process's start time (a pid alone can be reused
 * by a later process).
 */
public record ProcessIdentity(String host, long pid, String start) {

    private static final ProcessIdentity CURRENT = new ProcessIdentity(hostName(), ProcessHandle.current().pid(),
            startOf(ProcessHandle.current()));

    public static ProcessIdentity current() {
        return CURRENT;
    }

    /**
     * True when this identity is of a process on this host that no longer exists (a
     * provable death).
     */
    public boolean provablyDeadOnThisHost() {
        if (!this.host.equals(CURRENT.host)) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(this.pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        String start = startOf(process.get());
        return this.start != null && start != null && !this.start.equals(start);
    }

    /**
     * Why the process holding a lease is provably dead, or null while it may be alive: on
     * this host because it is gone, on another host because its last heartbeat is older
     * than the lease.
     */
    public String deathReason(Duration sinceHeartbeat, Duration lease) {
        if (provablyDeadOnThisHost()) {
            return this + " is gone";
        }
        if (!onThisHost() && sinceHeartbeat.compareTo(lease) > 0) {
            return this + " has not renewed its lease for " + sinceHeartbeat.toSeconds() + "s";
        }
        return null;
    }

    public boolean onThisHost() {
        return this.host.equals(CURRENT.host);
    }

    @Override
    public String toString() {
        return "pid " + this.pid + " on " + this.host;
    }

    private static String startOf(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toString).orElse(null);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (Exception ex) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }

}
