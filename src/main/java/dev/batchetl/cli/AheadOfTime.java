package dev.batchetl.cli;

import java.util.List;

import dev.batchetl.JobApplication;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.aot.AotApplicationContextInitializer;
import org.springframework.core.SpringProperties;
import org.springframework.util.ClassUtils;

/**
 * A command's context from the code the build generated for it ahead of time
 * (spring-boot-maven-plugin {@code process-aot}): the job's ({@link JobApplication}) for
 * the commands that run the job, the repository's ({@link RepositoryCommands.Context})
 * for those that read or mark a few rows. Their bean definitions are registered by that
 * code instead of being found by parsing the configuration classes, scanning the
 * components and evaluating the auto-configurations' conditions at every start. Used when
 * the generated code is there, unless {@code -Dbatch-etl.aot=false}; the scheduler and
 * the dashboard start as usual.
 */
final class AheadOfTime {

    static final String INITIALIZER = JobApplication.class.getName() + "__ApplicationContextInitializer";

    static final String REPOSITORY_INITIALIZER = RepositoryCommands.class.getName()
            + "_Context__ApplicationContextInitializer";

    private AheadOfTime() {
    }

    /** Whether {@code spring} (the command's context) starts from the generated code. */
    static boolean use(SpringApplication spring, Command command) {
        String initializer;
        if (command instanceof Command.Run || command instanceof Command.Restart || command instanceof Command.Retry
                || command instanceof Command.Worker) {
            initializer = INITIALIZER;
        }
        else if (RepositoryCommands.handles(command)) {
            initializer = REPOSITORY_INITIALIZER;
        }
        else {
            return false;
        }
        if (!Boolean.parseBoolean(System.getProperty("batch-etl.aot", "true"))
                || !ClassUtils.isPresent(initializer, AheadOfTime.class.getClassLoader())) {
            return false;
        }
        spring.addInitializers(AotApplicationContextInitializer.forInitializerClasses(initializer));
        return true;
    }

    /**
     * Runs {@code spring}; from the generated code when {@code aot}, Spring Boot being
     * told so for this start only (other contexts of the process, such as remote
     * partitioning's, are built as usual).
     */
    static ConfigurableApplicationContext run(SpringApplication spring, boolean aot, List<String> args) {
        if (!aot) {
            return spring.run(args.toArray(String[]::new));
        }
        String before = SpringProperties.getProperty(AotDetector.AOT_ENABLED);
        SpringProperties.setFlag(AotDetector.AOT_ENABLED);
        try {
            return spring.run(args.toArray(String[]::new));
        }
        finally {
            SpringProperties.setProperty(AotDetector.AOT_ENABLED, before);
        }
    }

}
