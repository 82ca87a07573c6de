package dev.batchetl.remote;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.integration.config.EnableIntegration;

/**
 * What {@link RemoteContext} holds: RabbitMQ (Spring Boot's auto-configuration, from the
 * {@code spring.rabbitmq.*} properties), Spring Integration and the remote partitioning
 * beans. Neither a component nor a member of one, so that the application's own context
 * does not pick it up.
 */
@ImportAutoConfiguration(RabbitAutoConfiguration.class)
@EnableIntegration
@Import({ RemotePartitioningConfiguration.class, RemotePartitioning.class, RemoteWorker.class, PartitionOwnership.class,
        RepositoryIdentity.class })
final class RemoteInfrastructure {

}
