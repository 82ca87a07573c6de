package dev.batchetl;

import dev.batchetl.cli.Launcher;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.health.RabbitHealthContributorAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.metrics.RabbitMetricsAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.thymeleaf.autoconfigure.ThymeleafAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * batch-etl: fetch sources, compute CSV statistics, export the results. The process exit
 * code drives the scheduler's workflow, so {@code main} ends in {@code System.exit} with
 * the code of the command (see {@link Launcher}). RabbitMQ is configured only in remote
 * partitioning's own context ({@link dev.batchetl.remote.RemoteContext}). This is the
 * scheduler's application ({@code schedule}): its web server serves the actuator, open as
 * before; the dashboard, its templates and its login are {@code dashboard}'s alone
 * ({@link dev.batchetl.dashboard.DashboardConfiguration}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration(exclude = { RabbitAutoConfiguration.class, RabbitHealthContributorAutoConfiguration.class,
        RabbitMetricsAutoConfiguration.class, SecurityAutoConfiguration.class,
        UserDetailsServiceAutoConfiguration.class, SecurityFilterAutoConfiguration.class,
        ServletWebSecurityAutoConfiguration.class, ManagementWebSecurityAutoConfiguration.class,
        ThymeleafAutoConfiguration.class })
@ComponentScan(excludeFilters = { @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.REGEX, pattern = "dev\\.batchetl\\.dashboard\\..*") })
public class BatchEtlApplication {

    public static void main(String[] args) {
        System.exit(Launcher.launch(BatchEtlApplication.class, args, System.out, System.err));
    }

}
