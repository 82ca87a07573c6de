package dev.batchetl.remote;

import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import dev.batchetl.job.BatchEtlProperties;

import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.messaging.MessageHeaders;

/**
 * The RabbitMQ side of remote partitioning: one durable queue of partition requests, and
 * the flow that carries the manager's {@link StepExecutionRequest}s to it as JSON naming
 * the job repository ({@link RepositoryIdentity}), as persistent messages. Nothing
 * connects to RabbitMQ until a remote run sends its first request or a worker starts.
 * Part of {@link RemoteContext}.
 */
class RemotePartitioningConfiguration {

    @Bean
    Queue partitionQueue(BatchEtlProperties properties) {
        return QueueBuilder.durable(properties.remote().queue()).build();
    }

    @Bean
    DirectChannel partitionRequests() {
        return new DirectChannel();
    }

    @Bean
    IntegrationFlow partitionRequestsToRabbit(@Qualifier("partitionRequests") DirectChannel partitionRequests,
            AmqpTemplate amqpTemplate, @Qualifier("partitionQueue") Queue partitionQueue,
            RepositoryIdentity repository) {
        return IntegrationFlow.from(partitionRequests)
            .transform(StepExecutionRequest.class, request -> PartitionRequests.encode(request, repository.get()))
            .enrichHeaders(headers -> headers.header(MessageHeaders.CONTENT_TYPE, PartitionRequests.CONTENT_TYPE, true))
            .handle(Amqp.outboundAdapter(amqpTemplate)
                .exchangeName("")
                .routingKey(partitionQueue.getName())
                .defaultDeliveryMode(MessageDeliveryMode.PERSISTENT))
            .get();
    }

}
