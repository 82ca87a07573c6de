package dev.batchetl.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.batchetl.JobApplication;
import dev.batchetl.job.EtlKey;
import dev.batchetl.job.ExitCode;
import dev.batchetl.job.Messages;
import dev.batchetl.job.UsageException;
import dev.batchetl.schedule.Scheduler;
import dev.batchetl.storage.DatabasePlatform;
import dev.batchetl.storage.EmbeddedDatabaseOpener;
import dev.batchetl.storage.StorageFaults;
import org.flywaydb.core.api.FlywayException;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Runs one command: parses the command line (usage errors stop here, before any database
 * is touched), starts the Spring context (which applies the migrations), runs the command
 * and maps every outcome to an {@link ExitCode}. Expected problems are one line on
 * standard error; stack traces only with {@code --debug}.
 */
public final class Launcher {

    private static final String PREINITIALIZER = "spring.backgroundpreinitializer.ignore";

    /** The dashboard's port unless {@code --server.port} says another. */
    static final int DASHBOARD_PORT = 8090;

    private Launcher() {
    }

    public static int launch(Class<?> application, String[] args, PrintStream out, PrintStream err) {
        Cli.Invocation invocation;
        try {
            invocation = Cli.parse(args, Path.of("").toAbsolutePath());
        }
        catch (UsageException ex) {
            err.println("error: " + ex.getMessage());
            return ExitCode.USAGE.code();
        }
        if (invocation.command() instanceof Command.Help) {
            out.print(Cli.usage());
            return ExitCode.OK.code();
        }
        List<String> springArgs = new ArrayList<>();
        if (invocation.command() instanceof Command.Schedule schedule) {
            // Only schedule mode serves HTTP (health, metrics, the schedule); options
            // given by the user come later and win.
            springArgs.add("--spring.main.web-application-type=servlet");
            springArgs.add("--" + Scheduler.ENABLED + "=true");
            if (schedule.settings().jsonLogs()) {
                springArgs.add("--logging.structured.format.console=ecs");
            }
            // RabbitMQ's health counts only where the scheduled runs use it: otherwise a
            // broker that is down (or was
            // never set up) would make /actuator/health say DOWN for a scheduler that
            // does not need it
            if ("remote".equals(schedule.request().get(EtlKey.PARTITIONING))) {
                springArgs.add("--management.health.rabbit.enabled=true");
            }
        }
        if (invocation.command() instanceof Command.Dashboard) {
            springArgs.add("--spring.main.web-application-type=servlet");
            // its own port beside a scheduler's, and this machine only unless told
            if (invocation.springArgs().stream().noneMatch(arg -> arg.startsWith("--server.port="))) {
                springArgs.add("--server.port=" + DASHBOARD_PORT);
            }
            if (invocation.springArgs().stream().noneMatch(arg -> arg.startsWith("--server.address="))) {
                springArgs.add("--server.address=127.0.0.1");
            }
        }
        springArgs.addAll(invocation.springArgs());
        if (invocation.debug()) {
            springArgs.add("--logging.level.dev.batchetl=DEBUG");
            springArgs.add("--logging.level.org.springframework.batch=INFO");
            springArgs.add("--logging.level.org.springframework.transaction=INFO");
            springArgs
                .add("--logging.level.org.springframework.context.annotation.AnnotationConfigApplicationContext=INFO");
            springArgs.add("--logging.level.org.springframework.context.support.GenericApplicationContext=INFO");
            springArgs.add("--logging.level.org.springframework.boot.web.server.servlet.context"
                    + ".AnnotationConfigServletWebServerApplicationContext=INFO");
            springArgs.add("--logging.level.org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter=INFO");
            springArgs.add("--logging.pattern.console=%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} %msg%n%ex");
        }
        if (!(invocation.command() instanceof Command.Schedule)) {
            // Spring Boot warms Jackson, Tomcat and the HTTP converters up on a thread of
            // its own, for a web server
            // that only the scheduler starts: on 2 cores that thread takes CPU from the
            // start itself
            System.setProperty(PREINITIALIZER, System.getProperty(PREINITIALIZER, "true"));
        }
        // list, show, stop and recover start a context without the job (see
        // RepositoryCommands)
        boolean repositoryOnly = RepositoryCommands.handles(invocation.command());
        // and the job's commands one with the auto-configurations they use, not the
        // scheduler's web server and actuator
        SpringApplication spring = repositoryOnly ? RepositoryCommands.Context.application()
                : new SpringApplication(invocation.command() instanceof Command.Dashboard
                        ? RepositoryCommands.DashboardContext.class
                        : invocation.command() instanceof Command.Schedule ? application : JobApplication.class);
        var startup = StartupSteps.recorder();
        if (startup != null) {
            spring.setApplicationStartup(startup);
        }
        AtomicReference<String> databaseUrl = new AtomicReference<>();
        AtomicReference<EmbeddedDatabaseOpener> earlyOpen = new AtomicReference<>();
        spring.addListeners(event -> {
            if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
                String url = prepared.getEnvironment().getProperty("spring.datasource.url");
                checkDatabaseUrl(url);
                String compatible = withH2Compatibility(url);
                if (compatible != null && !compatible.equals(url)) {
                    prepared.getEnvironment()
                        .getPropertySources()
                        .addFirst(new MapPropertySource("batch-etl-h2", Map.of("spring.datasource.url", compatible)));
                    url = compatible;
                }
                databaseUrl.set(url);
                // the embedded database opens on its own thread while the context starts
                earlyOpen.set(EmbeddedDatabaseOpener.start(url,
                        prepared.getEnvironment().getProperty("spring.datasource.username"),
                        prepared.getEnvironment().getProperty("spring.datasource.password")));
            }
        });
        boolean aot = AheadOfTime.use(spring, invocation.command());
        try (ConfigurableApplicationContext context = AheadOfTime.run(spring, aot, springArgs)) {
            release(earlyOpen);
            if (startup != null) {
                StartupSteps.print(startup, System.err);
            }
            if (invocation.command() instanceof Command.Schedule schedule) {
                return context.getBean(Scheduler.class).run(schedule.request(), schedule.settings()).code();
            }
            if (invocation.command() instanceof Command.Dashboard) {
                return context.getBean(dev.batchetl.dashboard.Dashboard.class).serve(out).code();
            }
            if (repositoryOnly) {
                return context.getBean(RepositoryCommands.class).execute(invocation.command(), out).code();
            }
            return context.getBean(EtlCommands.class).execute(invocation.command(), out).code();
        }
        catch (UsageException ex) {
            err.println("error: " + ex.getMessage());
            return ExitCode.USAGE.code();
        }
        catch (RuntimeException ex) {
            PortInUseException port = cause(ex, PortInUseException.class);
            if (port != null) {
                err.println("error: port " + port.getPort() + " is already in use: stop what listens there, or give"
                        + " another port (--server.port=PORT; 0 picks a free one)");
                debug(invocation, ex, err);
                return ExitCode.USAGE.code();
            }
            Throwable database = databaseCause(ex);
            if (database != null) {
                // where it is, and for a database that is not there, the setting that
                // says so
                String location = StorageFaults.location(databaseUrl.get());
                boolean unreachable = database instanceof java.net.ConnectException
                        || database instanceof java.net.UnknownHostException;
                err.println(
                        "error: cannot use "
                                + (location.startsWith("the embedded") ? location
                                        : "the database at " + location
                                                + (unreachable ? " (spring.datasource.url)" : ""))
                                + ": " + Messages.oneLine(database));
                debug(invocation, ex, err);
                return ExitCode.USAGE.code();
            }
            err.println("error: " + Messages.oneLine(Messages.rootCause(ex)));
            debug(invocation, ex, err);
            if (!invocation.debug()) {
                err.println("(run again with --debug for details)");
            }
            return ExitCode.FAILED.code();
        }
        finally {
            release(earlyOpen);
        }
    }

    private static void release(AtomicReference<EmbeddedDatabaseOpener> earlyOpen) {
        EmbeddedDatabaseOpener opener = earlyOpen.getAndSet(null);
        if (opener != null) {
            opener.close();
        }
    }

    private static void debug(Cli.Invocation invocation, Throwable ex, PrintStream err) {
        if (invocation.debug()) {
            ex.printStackTrace(err);
        }
    }

    /**
     * Refuses a JDBC URL of a database the job repository does not support before
     * anything is started: otherwise the start fails on a driver class that is not there
     * ("com.mysql.cj.jdbc.Driver"), which says nothing of the cause. Only the URL's
     * scheme is printed, since a URL may hold a password.
     */
    static void checkDatabaseUrl(String url) {
        if (url == null || url.isBlank()) {
            return;
        }
        String lower = url.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:") || lower.startsWith("jdbc:h2:")) {
            return;
        }
        int colon = lower.indexOf(':', lower.startsWith("jdbc:") ? "jdbc:".length() : 0);
        String scheme = colon < 0 ? "'" + lower + "'" : lower.substring(0, colon + 1);
        throw new UsageException("spring.datasource.url is a " + scheme + " URL, which batch-etl does not support:"
                + " give a PostgreSQL one (jdbc:postgresql://HOST:PORT/DATABASE), or none for the embedded default");
    }

    /**
     * The settings of H2 under which the application's SQL (written for PostgreSQL) runs
     * there.
     */
    private static final List<String> H2_SETTINGS = List.of("MODE=PostgreSQL", "DATABASE_TO_LOWER=TRUE",
            "DEFAULT_NULL_ORDERING=HIGH");

    /**
     * An H2 URL given by the user with the settings the application needs added where it
     * does not set them (an embedded database of one's own,
     * {@code jdbc:h2:file:/data/etl}, then works as the default one does); any other URL
     * as it is.
     */
    static String withH2Compatibility(String url) {
        if (!DatabasePlatform.isH2(url)) {
            return url;
        }
        StringBuilder compatible = new StringBuilder(url.strip());
        String upper = url.toUpperCase(Locale.ROOT);
        for (String setting : H2_SETTINGS) {
            String name = setting.substring(0, setting.indexOf('=') + 1).toUpperCase(Locale.ROOT);
            if (!upper.contains(";" + name)) {
                compatible.append(';').append(setting);
            }
        }
        return compatible.toString();
    }

    /**
     * The first exception of type {@code type} in the cause chain of {@code ex}, or null.
     */
    private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * The connection or SQL problem behind a failed start, if that is what it was: an SQL
     * exception, a migration's (Flyway is a dependency of the application, always on the
     * class path) or a connection the pool could not get.
     */
    private static Throwable databaseCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof SQLException || t instanceof FlywayException
                    || t instanceof CannotGetJdbcConnectionException) {
                Throwable deepest = t;
                while (deepest.getCause() != null && deepest.getCause() != deepest) {
                    deepest = deepest.getCause();
                }
                return deepest instanceof SQLException || deepest instanceof java.net.ConnectException
                        || deepest instanceof java.net.UnknownHostException ? deepest : t;
            }
        }
        return null;
    }

}
