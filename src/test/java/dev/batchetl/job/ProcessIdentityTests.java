package dev.batchetl.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Whether a recorded process is provably gone: by its pid and its start, which on Linux
 * is the boot and the clock tick of the start, not an instant derived from the wall clock
 * (which NTP moves, so that another process saw another instant for a live owner).
 */
class ProcessIdentityTests {

    @Test
    void onLinuxTheStartIsTheBootAndTheTickOfTheProcessStart() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")));
        long pid = ProcessHandle.current().pid();
        // field 22 of /proc/PID/stat, counted after the command name in parentheses
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String startTicks = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
        String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip().replace("-", "");

        assertThat(ProcessIdentity.current().start()).isEqualTo("boot " + boot + " tick " + startTicks);
        assertThat(ProcessIdentity.current().start().length()).isLessThanOrEqualTo(64);
    }

    @Test
    void aLiveProcessIsNotGoneAndAFinishedOneIs() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            ProcessIdentity recorded = new ProcessIdentity(ProcessIdentity.current().host(), child.pid(),
                    ProcessIdentity.startOf(child.toHandle()));

            assertThat(recorded.provablyDeadOnThisHost()).isFalse();
            assertThat(recorded.deathReason(java.time.Duration.ofHours(1), java.time.Duration.ofSeconds(1))).isNull();

            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
            assertThat(recorded.provablyDeadOnThisHost()).isTrue();
        }
        finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aLivePidOfAnotherStartIsAnotherProcess() throws Exception {
        assumeTrue(ProcessIdentity.current().start().startsWith("boot "));
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            String start = ProcessIdentity.startOf(child.toHandle());
            String earlier = start.substring(0, start.lastIndexOf(' ') + 1)
                    + (Long.parseLong(start.substring(start.lastIndexOf(' ') + 1)) - 1);

            assertThat(new ProcessIdentity(ProcessIdentity.current().host(), child.pid(), earlier)
                .provablyDeadOnThisHost()).as("the pid reused by a later process").isTrue();
        }
        finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aStartRecordedAsAnInstantByAnEarlierVersionIsComparedAsOne() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            String instant = child.toHandle().info().startInstant().map(Instant::toString).orElseThrow();
            String host = ProcessIdentity.current().host();

            assertThat(new ProcessIdentity(host, child.pid(), instant).provablyDeadOnThisHost()).isFalse();
            assertThat(new ProcessIdentity(host, child.pid(), Instant.parse(instant).minusSeconds(3600).toString())
                .provablyDeadOnThisHost()).isTrue();
        }
        finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aProcessOnAnotherHostIsNeverProvablyGoneFromHere() {
        assertThat(new ProcessIdentity("another-host", 1, "boot x tick 1").provablyDeadOnThisHost()).isFalse();
    }

}
