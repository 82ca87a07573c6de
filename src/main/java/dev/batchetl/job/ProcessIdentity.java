package dev.batchetl.job;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a process records about itself so that another process can later tell whether it
 * is still alive: host name, pid and the process's start time (a pid alone can be reused
 * by a later process).
 */
public record ProcessIdentity(String host, long pid, String start) {

    private static final String TICKS = "boot ";

    /** This boot's id (32 hex digits), or null off Linux. */
    private static final String BOOT = bootId();

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
        if (this.start == null) {
            return false;
        }
        // a start recorded by a version that kept the start instant is compared as one
        String start = this.start.startsWith(TICKS) ? startOf(process.get()) : instantOf(process.get());
        return start != null && !this.start.equals(start);
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

    /**
     * The process's start: on Linux the boot and the clock tick of the start
     * ({@code /proc/PID/stat}), which no change of the wall clock moves; elsewhere the
     * start instant the JVM reports. The instant is computed from the boot time the
     * kernel gives at the moment it is asked, the wall clock less the time since boot, so
     * that a clock set or slewed by NTP between two processes' starts makes them see
     * another instant for the same process, and a live owner was taken for dead (seen by
     * a machine whose boot time moved 6 s in two hours).
     */
    static String startOf(ProcessHandle process) {
        String ticks = ticksOf(process.pid());
        return ticks != null ? ticks : instantOf(process);
    }

    private static String instantOf(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toString).orElse(null);
    }

    /** "boot BOOT-ID tick N" (at most 64 characters, as stored), or null off Linux. */
    private static String ticksOf(long pid) {
        if (BOOT == null) {
            return null;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // after the command name in parentheses: field 3 (state) onwards; the start
            // time is field 22
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return TICKS + BOOT + " tick " + Long.parseLong(fields[19]);
        }
        catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    private static String bootId() {
        try {
            String id = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip().replace("-", "");
            return id.isEmpty() ? null : id.substring(0, Math.min(32, id.length()));
        }
        catch (IOException | RuntimeException ex) {
            return null;
        }
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
