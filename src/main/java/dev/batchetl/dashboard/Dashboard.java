package dev.batchetl.dashboard;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

import dev.batchetl.job.BatchEtlProperties;
import dev.batchetl.job.ExitCode;
import dev.batchetl.job.Shutdown;

import org.springframework.core.env.Environment;

/**
 * {@code batch-etl dashboard}: serves the pages until SIGTERM or Ctrl-C, then returns,
 * and the command line closes the context (the web server with it).
 */
public class Dashboard {

    private final Environment environment;

    private final BatchEtlProperties properties;

    private final CountDownLatch stopped = new CountDownLatch(1);

    Dashboard(Environment environment, BatchEtlProperties properties) {
        this.environment = environment;
        this.properties = properties;
    }

    public ExitCode serve(PrintStream out) {
        try (Shutdown.Registration signals = Shutdown.process().register(() -> {
            this.stopped.countDown();
            return true;
        }, ExitCode.OK)) {
            String address = this.environment.getProperty("server.address", "0.0.0.0");
            String host = address.contains(":") ? "[" + address + "]" : address;
            out.println("dashboard on http://" + host + ":" + this.environment.getProperty("local.server.port")
                    + this.environment.getProperty("server.servlet.context-path", "") + "/ (Ctrl-C stops it)");
            if (!this.properties.dashboard().loginEnabled()) {
                out.println("stop and restart are off: set BATCH_ETL_DASHBOARD_PASSWORD"
                        + " (and BATCH_ETL_DASHBOARD_USER, default " + this.properties.dashboard().user()
                        + ") to log in");
            }
            this.stopped.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK;
    }

}
