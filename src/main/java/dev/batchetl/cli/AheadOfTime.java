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
 * The job's context from the code the build generated for it ahead of time
 * (spring-boot-maven-plugin {@code process-aot} over {@link JobApplication}): its bean
 * definitions are registered by that code instead of being found by parsing the
 * configuration classes, scanning the components and evaluating the auto-configurations'
 * conditions at every start. Used for the commands that run the job when the generated
 * code is there, unless {@code -Dbatch-etl.aot=false}.
 */
final class AheadOfTime {

    static final String INITIALIZER = JobApplication.class.getName() + "__ApplicationContextInitializer";

    private AheadOfTime() {
    }

    /** Whether {@code spring} (the job's context) starts from the generated code. */
    static boolean use(SpringApplication spring, Command command) {
        if (!(command instanceof Command.Run || command instanceof Command.Restart || command instanceof Command.Retry
                || command instanceof Command.Worker)) {
            return false;
        }
        if (!Boolean.parseBoolean(System.getProperty("batch-etl.aot", "true"))
                || !ClassUtils.isPresent(INITIALIZER, AheadOfTime.class.getClassLoader())) {
            return false;
        }
        spring.addInitializers(AotApplicationContextInitializer.forInitializerClasses(INITIALIZER));
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
