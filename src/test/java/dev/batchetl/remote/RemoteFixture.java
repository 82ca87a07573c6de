package dev.batchetl.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.batchetl.EtlProcess;
import dev.batchetl.TestDatabase;

import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A queue of its own for one test (deleted at the end), worker processes on it, and
 * queries of the job repository: which worker ran each partition, and the results of an
 * execution.
 */
final class RemoteFixture implements AutoCloseable {

    static final JdbcTemplate JDBC = TestDatabase.jdbc();

    final String queue = "batch-etl.test." + UUID.randomUUID();

    private final CachingConnectionFactory rabbit = new CachingConnectionFactory("127.0.0.1", 5672);

    private final List<EtlProcess> workers = new ArrayList<>();

    RemoteFixture() {
        this.rabbit.setUsername("guest");
        this.rabbit.setPassword("guest");
    }

    /**
     * The options that put a process on this test's queue, with a short lease and poll
     * interval.
     */
    String[] options() {
        return new String[] { "--batch-etl.remote.queue=" + this.queue, "--batch-etl.remote.poll-interval=200ms",
                "--batch-etl.heartbeat=1s", "--batch-etl.lease=5s", "--spring.datasource.hikari.maximum-pool-size=6",
                "--spring.datasource.hikari.minimum-idle=1" };
    }

    /** Starts a worker JVM on this test's queue and waits until it consumes. */
    EtlProcess worker(Path work, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("worker"));
        args.addAll(List.of(options()));
        args.addAll(List.of(extra));
        return started(EtlProcess.start(work, args.toArray(String[]::new)));
    }

    /**
     * Starts a worker JVM on this test's queue and the given job repository, and waits
     * until it consumes.
     */
    EtlProcess workerOn(Path work, String databaseUrl, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("worker"));
        args.addAll(List.of(options()));
        args.addAll(
                List.of("--spring.datasource.url=" + databaseUrl, "--spring.datasource.username=" + TestDatabase.USER));
        args.addAll(List.of(extra));
        return started(EtlProcess.startWithout(work, args.toArray(String[]::new)));
    }

    private EtlProcess started(EtlProcess worker) {
        this.workers.add(worker);
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofMinutes(2))
            .until(() -> worker.output().contains("takes partition requests") || !worker.isAlive());
        if (!worker.isAlive()) {
            throw new AssertionError("worker did not start:\n" + worker.output());
        }
        return worker;
    }

    /** Run arguments: {@code run key=value...} plus this test's options. */
    String[] run(String... keys) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(keys));
        args.addAll(List.of(options()));
        return args.toArray(String[]::new);
    }

    /**
     * Declares this test's queue as the application does (durable), so that messages sent
     * before a worker wait.
     */
    void declare() {
        new RabbitAdmin(this.rabbit).declareQueue(new org.springframework.amqp.core.Queue(this.queue, true));
    }

    void send(String body) {
        RabbitTemplate template = new RabbitTemplate(this.rabbit);
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        template.send("", this.queue,
                new org.springframework.amqp.core.Message(body.getBytes(StandardCharsets.UTF_8), properties));
    }

    void sendJavaSerialized(byte[] body) {
        RabbitTemplate template = new RabbitTemplate(this.rabbit);
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_SERIALIZED_OBJECT);
        template.send("", this.queue, new org.springframework.amqp.core.Message(body, properties));
    }

    /** Messages waiting in the queue (not delivered, or requeued). */
    long waiting() {
        var info = new RabbitAdmin(this.rabbit).getQueueInfo(this.queue);
        return info == null ? 0 : info.getMessageCount();
    }

    /**
     * Partition name, status and the pid of the worker that claimed it, for every
     * partition of an execution.
     */
    static List<Map<String, Object>> partitions(long jobExecution) {
        return JDBC.queryForList("""
                SELECT s.step_execution_id, s.step_name, s.status, s.exit_message, s.write_count, o.pid
                FROM batch_step_execution s LEFT JOIN etl_partition_owner o ON o.step_execution_id = s.step_execution_id
                WHERE s.job_execution_id = ? AND s.step_name LIKE 'stats-file:%' ORDER BY s.step_name""", jobExecution);
    }

    /** How many times each partition of a run completed, over all its executions. */
    static Map<String, Object> completions(String runKey) {
        Map<String, Object> counts = new java.util.TreeMap<>();
        JDBC.query("""
                SELECT s.step_name, COUNT(*) FROM batch_step_execution s
                JOIN batch_job_execution j ON j.job_execution_id = s.job_execution_id
                JOIN batch_job_execution_params p ON p.job_execution_id = j.job_execution_id
                WHERE p.parameter_name = 'run' AND p.parameter_value = ? AND s.step_name LIKE 'stats-file:%'
                  AND s.status = 'COMPLETED'
                GROUP BY s.step_name""", rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        }, runKey);
        return counts;
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        for (EtlProcess worker : this.workers) {
            if (worker.isAlive()) {
                worker.kill();
            }
        }
        try {
            new RabbitAdmin(this.rabbit).deleteQueue(this.queue);
        }
        finally {
            this.rabbit.destroy();
        }
    }

}
