package dev.batchetl.schedule;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.batchetl.job.EtlKey;
import dev.batchetl.job.EtlRequest;
import dev.batchetl.job.EtlRunner;
import dev.batchetl.job.ExitCode;
import dev.batchetl.job.Messages;
import dev.batchetl.job.Shutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * {@code batch-etl schedule}: runs the job at every fire of a cron expression until
 * SIGTERM, with the fire time as the run key (see {@link FireTime}). Every node computes
 * the same key for a fire, and a fire runs through {@link EtlRunner#runIfNew}: under the
 * instance's run lock, and only if the job repository has no instance of it yet. So
 * however many schedulers share the database, and however often one fires late or twice,
 * each fire runs once.
 * <p>
 * Fires are timed on a {@link ThreadPoolTaskScheduler} and run one after the other on a
 * single worker thread: a fire that comes while a run is going is skipped or queued
 * ({@link ScheduleSettings.Overlap}). At start, the latest fire missed while no scheduler
 * was up is run ({@link ScheduleSettings.CatchUp}); with {@code retry-failed}, the latest
 * fire that FAILED or was STOPPED is continued from its checkpoint before each new fire.
 */
@Component
@ConditionalOnProperty(name = Scheduler.ENABLED, havingValue = "true")
public class Scheduler {

    /** Set by the command line in schedule mode only. */
    public static final String ENABLED = "batch-etl.schedule.enabled";

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private static final Duration STOP_WAIT = Duration.ofMinutes(10);

    private final EtlRunner runner;

    private final FireHistory history;

    private final JobRepository jobRepository;

    private final Environment environment;

    private final PrintStream out = new LogLines(log);

    private final ThreadPoolTaskScheduler timer = new ThreadPoolTaskScheduler();

    /** One run at a time; its queue holds the fires waiting with overlap=queue. */
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), runnable -> new Thread(runnable, "schedule-worker"));

    /** Fires submitted to the worker and not finished yet, the running one included. */
    private final AtomicInteger pending = new AtomicInteger();

    private final AtomicLong skipped = new AtomicLong();

    private final CountDownLatch done = new CountDownLatch(1);

    private volatile EtlRequest template;

    private volatile ScheduleSettings settings;

    private volatile CronExpression cron;

    private volatile Instant nextFire;

    private volatile Instant runningFire;

    private volatile boolean stopping;

    private ScheduledFuture<?> timed;

    Scheduler(EtlRunner runner, FireHistory history, JobRepository jobRepository, Environment environment) {
        this.runner = runner;
        this.history = history;
        this.jobRepository = jobRepository;
        this.environment = environment;
    }

    /**
     * Fires until the process gets SIGTERM (or Ctrl-C): then no new fire starts, a
     * running job is stopped at its next chunk boundary (it ends STOPPED and
     * restartable), and this returns 0. The signal does not start the JVM's shutdown
     * ({@link Shutdown}): the job repository, the embedded database included, stays open
     * until the running job has recorded its stop, and the command line closes the
     * context afterwards.
     */
    public ExitCode run(EtlRequest template, ScheduleSettings settings) {
        this.template = template;
        this.settings = settings;
        this.cron = settings.expression();
        Shutdown.Registration signals = Shutdown.process().register(() -> {
            shutdown();
            return true;
        }, ExitCode.OK);
        log.info(
                "schedule {}: cron '{}' in {}, overlap={}, catch-up={}, retry-failed={}; run keys are fire times in UTC",
                template.definition(), settings.cron(), settings.zone(), lower(settings.overlap()),
                lower(settings.catchUp()), settings.retryFailed());
        String port = this.environment.getProperty("local.server.port");
        if (port != null) {
            log.info("health, metrics and schedule on port {}: /actuator/health, /actuator/prometheus,"
                    + " /actuator/schedule", port);
        }
        this.timer.setPoolSize(1);
        this.timer.setThreadNamePrefix("schedule-timer-");
        this.timer.initialize();
        Instant start = Instant.now();
        synchronized (this) {
            // a signal that came already has shut the worker down: nothing may be
            // submitted to it
            if (!this.stopping) {
                submit(() -> startUp(start));
                scheduleAfter(start);
            }
        }
        try (signals) {
            this.done.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Times the first fire after {@code after}. Called with this object's lock held. */
    private void scheduleAfter(Instant after) {
        ZonedDateTime next = this.cron.next(after.atZone(this.settings.zone()));
        if (next == null) {
            this.nextFire = null;
            log.info("the cron expression has no fire after {}: no more fires", after);
            return;
        }
        Instant fire = next.toInstant();
        this.nextFire = fire;
        this.timed = this.timer.schedule(() -> fire(fire), fire);
    }

    private void fire(Instant fire) {
        synchronized (this) {
            if (this.stopping) {
                return;
            }
            scheduleAfter(fire);
            Instant running = this.runningFire;
            if (this.pending.get() > 0) {
                String busy = running == null ? "the scheduler's start-up runs"
                        : "the run of fire " + FireTime.runKey(running) + " is still going";
                if (this.settings.overlap() == ScheduleSettings.Overlap.SKIP) {
                    this.skipped.incrementAndGet();
                    log.info("fire {} skipped: {} (overlap=skip)", FireTime.runKey(fire), busy);
                    return;
                }
                log.info("fire {} queued: {} (overlap=queue)", FireTime.runKey(fire), busy);
            }
        }
        submit(() -> runFire(fire));
    }

    private void submit(Runnable task) {
        this.pending.incrementAndGet();
        this.worker.execute(() -> {
            try {
                if (!this.stopping) {
                    task.run();
                }
            }
            catch (RuntimeException ex) {
                log.warn("{}", Messages.oneLine(ex));
            }
            finally {
                this.runningFire = null;
                this.pending.decrementAndGet();
            }
        });
    }

    private void startUp(Instant start) {
        if (this.settings.retryFailed()) {
            retryFailed();
        }
        if (this.settings.catchUp() == ScheduleSettings.CatchUp.ONCE) {
            catchUp(start);
        }
        else {
            log.info("catch-up=none: fires missed while no scheduler was up are not run");
        }
    }

    /**
     * Runs the latest fire due at or before {@code now} if it came after the latest fire
     * the job repository knows.
     */
    private void catchUp(Instant now) {
        FireHistory.Fire latest = this.history.latest(this.template.definition());
        if (latest == null) {
            log.info("catch-up: {} has no earlier fire in the job repository, nothing to catch up",
                    this.template.definition());
            return;
        }
        Instant missed = latestFire(this.cron, this.settings.zone(), latest.time(), now);
        if (missed == null) {
            log.info("catch-up: no fire missed since {}", latest.runKey());
            return;
        }
        log.info("catch-up: fire {} was missed (the latest recorded fire is {}): running it now",
                FireTime.runKey(missed), latest.runKey());
        runNew(missed);
    }

    /** The latest fire in {@code (after, now]}, or null. */
    static Instant latestFire(CronExpression cron, java.time.ZoneId zone, Instant after, Instant now) {
        for (Duration window = Duration.ofSeconds(1);; window = window.multipliedBy(2)) {
            Instant from = now.minus(window);
            boolean whole = !from.isAfter(after);
            if (whole) {
                from = after;
            }
            ZonedDateTime fire = cron.next(from.atZone(zone));
            if (fire != null && !fire.toInstant().isAfter(now)) {
                Instant last = fire.toInstant();
                for (ZonedDateTime f = cron.next(fire); f != null && !f.toInstant().isAfter(now); f = cron.next(f)) {
                    last = f.toInstant();
                }
                return last;
            }
            if (whole) {
                return null;
            }
        }
    }

    private void runFire(Instant fire) {
        if (this.settings.retryFailed()) {
            retryFailed();
        }
        runNew(fire);
    }

    private void runNew(Instant fire) {
        this.runningFire = fire;
        Map<String, String> keys = new LinkedHashMap<>(this.template.keys());
        keys.put(EtlKey.RUN.key(), FireTime.runKey(fire));
        this.runner.runIfNew(new EtlRequest(this.template.definition(), keys), this.out);
    }

    /**
     * Continues the latest fire that FAILED or was STOPPED (or whose process died), from
     * its checkpoint, with the keys it was started with. A fire still running elsewhere
     * is left to its owner.
     */
    private void retryFailed() {
        for (FireHistory.Fire fire : this.history.unfinished(this.template.definition(), 10)) {
            if (this.stopping) {
                return;
            }
            JobExecution last = this.jobRepository.getJobExecution(fire.executionId());
            if (last == null) {
                continue;
            }
            log.info("retry-failed: fire {} ended {} (execution {}): continuing it", fire.runKey(), fire.status(),
                    fire.executionId());
            this.runningFire = fire.time();
            try {
                this.runner.continueRun(EtlRequest.from(last.getJobParameters()), this.out);
                return;
            }
            catch (RuntimeException ex) {
                log.info("retry-failed: fire {} not continued: {}", fire.runKey(), Messages.oneLine(ex));
                if (!fire.running()) {
                    return;
                }
            }
        }
    }

    /**
     * SIGTERM or Ctrl-C: no new fire, the running job stops at a chunk boundary, then
     * {@link #run} returns.
     */
    private void shutdown() {
        synchronized (this) {
            this.stopping = true;
            if (this.timed != null) {
                this.timed.cancel(false);
            }
        }
        log.info("stopping the schedule: no new fires");
        this.timer.shutdown();
        int dropped = this.worker.getQueue().size();
        this.worker.getQueue().clear();
        if (dropped > 0) {
            log.info("{} queued fire(s) not run", dropped);
        }
        this.worker.shutdown();
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        try {
            do {
                this.runner.stopCurrent(this.out);
            }
            while (!this.worker.awaitTermination(1, TimeUnit.SECONDS) && System.nanoTime() < deadline);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException ex) {
            log.warn("could not stop the running job: {}", Messages.oneLine(ex));
        }
        log.info("schedule stopped");
        this.done.countDown();
    }

    /** What the schedule endpoint shows of this node. */
    Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        EtlRequest request = this.template;
        ScheduleSettings schedule = this.settings;
        if (request == null || schedule == null) {
            state.put("state", "starting");
            return state;
        }
        state.put("definition", request.definition());
        state.put("cron", schedule.cron());
        state.put("zone", schedule.zone().getId());
        state.put("overlap", lower(schedule.overlap()));
        state.put("catchUp", lower(schedule.catchUp()));
        state.put("retryFailed", schedule.retryFailed());
        state.put("state", this.stopping ? "stopping" : "running");
        Instant next = this.nextFire;
        if (next != null) {
            state.put("nextFire", FireTime.runKey(next));
            state.put("nextFireInZone", next.atZone(schedule.zone()).toOffsetDateTime().toString());
        }
        Instant running = this.runningFire;
        if (running != null) {
            state.put("runningFire", FireTime.runKey(running));
        }
        state.put("queuedFires", Math.max(0, this.worker.getQueue().size()));
        state.put("skippedFires", this.skipped.get());
        FireHistory.Fire last = this.history.latest(request.definition());
        if (last != null) {
            Map<String, Object> lastRun = new LinkedHashMap<>();
            lastRun.put("fire", last.runKey());
            lastRun.put("executionId", last.executionId());
            lastRun.put("status", last.status());
            lastRun.put("exitCode", last.exitCode());
            if (last.started() != null) {
                lastRun.put("started", last.started().toString());
            }
            if (last.ended() != null) {
                lastRun.put("ended", last.ended().toString());
            }
            state.put("lastRun", lastRun);
        }
        return state;
    }

}
