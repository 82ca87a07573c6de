package dev.batchetl.remote;

import java.time.Duration;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.amqp.health.RabbitHealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Remote partitioning's own Spring context: RabbitMQ, Spring Integration, the flow of
 * partition requests, the manager's partition handler and the worker. It is started the
 * first time a run partitions remotely or a worker starts, as a child of the
 * application's context, whose datasource, job repository and worker step it uses; a run
 * that partitions locally, and every other command, never loads the broker's client or
 * Spring Integration (a thousand classes and their beans, a third of a second of every
 * start).
 */
@Component
public class RemoteContext implements DisposableBean {

    private final ConfigurableApplicationContext parent;

    private AnnotationConfigApplicationContext context;

    RemoteContext(ConfigurableApplicationContext parent) {
        this.parent = parent;
    }

    /**
     * A partition handler that sends one request per partition of {@code workerStepName}
     * to the workers (see {@link RemotePartitioning#partitionHandler}).
     */
    public PartitionHandler partitionHandler(String workerStepName, int gridSize, Duration timeout,
            Duration pickupTimeout) {
        return get().getBean(RemotePartitioning.class)
            .partitionHandler(workerStepName, gridSize, timeout, pickupTimeout);
    }

    /** The worker of {@code batch-etl worker}. */
    public RemoteWorker worker() {
        return get().getBean(RemoteWorker.class);
    }

    private synchronized ApplicationContext get() {
        if (this.context == null) {
            AnnotationConfigApplicationContext child = new AnnotationConfigApplicationContext();
            child.setParent(this.parent);
            child.setEnvironment(this.parent.getEnvironment());
            // Spring Boot's conversions, as in the parent (the batch-etl.* settings are
            // the parent's BatchEtlProperties)
            child.getBeanFactory().setConversionService(this.parent.getBeanFactory().getConversionService());
            child.register(RemoteInfrastructure.class);
            child.refresh();
            this.context = child;
        }
        return this.context;
    }

    @Override
    public synchronized void destroy() {
        if (this.context != null) {
            this.context.close();
            this.context = null;
        }
    }

    /**
     * RabbitMQ's health, for a scheduler whose runs partition remotely (its command line
     * turns the property on): the broker's own indicator, on the remote context's
     * connection.
     */
    @Bean
    @ConditionalOnBooleanProperty("management.health.rabbit.enabled")
    HealthIndicator rabbitHealthIndicator() {
        return () -> new RabbitHealthIndicator(get().getBean(RabbitTemplate.class)).health();
    }

}
