package dev.batchetl.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.batchetl.EtlProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A start that fails on the configuration (a database that is not there, one the job
 * repository does not support, a port in use) is one line saying what to fix and exit
 * code 2, in a JVM of its own so that everything the process prints is seen: no framework
 * warning, no Flyway box, no "APPLICATION FAILED TO START".
 */
class StartFailureFunctionalTests {

    @TempDir
    Path work;

    @Test
    void aDatabaseThatIsNotThereIsOneLineNamingItAndExitTwo() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        EtlProcess process = EtlProcess.startWithout(this.work, "run", "dir=" + this.work.resolve("data"),
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + port + "/x");
        assertThat(process.waitFor()).as(process.output()).isEqualTo(2);
        assertThat(process.output()).isEqualTo("error: cannot use the database at 127.0.0.1:" + port
                + "/x (spring.datasource.url): Connection refused\n");
    }

    @Test
    void aDatabaseTheJobRepositoryDoesNotSupportIsOneLineAndExitTwo() throws Exception {
        EtlProcess process = EtlProcess.startWithout(this.work, "list",
                "--spring.datasource.url=jdbc:mysql://127.0.0.1/x?password=secret");
        assertThat(process.waitFor()).as(process.output()).isEqualTo(2);
        assertThat(process.output()).isEqualTo("error: spring.datasource.url is a jdbc:mysql: URL, which batch-etl"
                + " does not support: give a PostgreSQL one (jdbc:postgresql://HOST:PORT/DATABASE), or none for the"
                + " embedded default\n");
    }

    @Test
    void aSchedulerWhosePortIsTakenIsOneLineAndExitTwo() throws Exception {
        Path definition = Files.writeString(this.work.resolve("nightly.properties"),
                "dir=" + this.work.resolve("data") + "\ncron=0 0 2 * * *\n");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            EtlProcess process = EtlProcess.start(this.work, "schedule", definition.toString(),
                    "--server.port=" + port);
            assertThat(process.waitFor()).as(process.output()).isEqualTo(2);
            assertThat(process.output()).isEqualTo("error: port " + port + " is already in use: stop what listens"
                    + " there, or give another port (--server.port=PORT; 0 picks a free one)\n");
        }
    }

}
