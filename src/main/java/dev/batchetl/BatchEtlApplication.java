package dev.batchetl;

import dev.batchetl.cli.Launcher;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.health.RabbitHealthContributorAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.metrics.RabbitMetricsAutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * batch-etl: fetch sources, compute CSV statistics, export the results. The process exit
 * code drives the scheduler's workflow, so {@code main} ends in {@code System.exit} with
 * the code of the command (see {@link Launcher}). RabbitMQ is configured only in remote
 * partitioning's own context ({@link dev.batchetl.remote.RemoteContext}).
 */
@SpringBootApplication(exclude = { RabbitAutoConfiguration.class, RabbitHealthContributorAutoConfiguration.class,
        RabbitMetricsAutoConfiguration.class })
public class BatchEtlApplication {

    public static void main(String[] args) {
        System.exit(Launcher.launch(BatchEtlApplication.class, args, System.out, System.err));
    }

}
