package dev.batchetl.dashboard;

import java.nio.file.Path;
import java.util.Arrays;

import dev.batchetl.job.BatchEtlProperties;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.spring6.templateresolver.SpringResourceTemplateResolver;
import org.thymeleaf.spring6.view.ThymeleafViewResolver;
import org.thymeleaf.templatemode.TemplateMode;

/**
 * The dashboard's web application: Tomcat and Spring MVC with the pages of
 * {@link DashboardController}, Thymeleaf templates from {@code dashboard/} and
 * {@code report/} (the run's page is the report's own template), the assets of the report
 * (its script and styles, uPlot) served by the application itself, and the security of
 * {@link DashboardSecurity}. The datasource and job repository come from the context that
 * imports this.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class, HttpEncodingAutoConfiguration.class, ErrorMvcAutoConfiguration.class,
        SecurityAutoConfiguration.class, SecurityFilterAutoConfiguration.class })
@EnableConfigurationProperties(BatchEtlProperties.class)
@Import({ DashboardSecurity.class, DashboardController.class, Dashboard.class })
public class DashboardConfiguration implements WebMvcConfigurer {

    /** Where the restarts' output goes, under the working folder. */
    static final Path RESTART_LOGS = Path.of(".batch-etl", "logs");

    @Bean
    Restarts restarts(ApplicationArguments arguments) {
        return new Restarts(RESTART_LOGS, Arrays.stream(arguments.getSourceArgs())
            // the job repository and the rest of the configuration, not what
            // makes this process a web server
            .filter(arg -> arg.startsWith("--") && !arg.startsWith("--server.")
                    && !arg.startsWith("--batch-etl.dashboard.")
                    && !arg.startsWith("--spring.main.web-application-type="))
            .toList());
    }

    @Bean
    SpringTemplateEngine dashboardTemplates(ApplicationContext context) {
        SpringResourceTemplateResolver resolver = new SpringResourceTemplateResolver();
        resolver.setApplicationContext(context);
        resolver.setPrefix("classpath:/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        SpringTemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        engine.setEnableSpringELCompiler(true);
        return engine;
    }

    @Bean
    ThymeleafViewResolver dashboardViews(SpringTemplateEngine dashboardTemplates) {
        ThymeleafViewResolver views = new ThymeleafViewResolver();
        views.setTemplateEngine(dashboardTemplates);
        views.setCharacterEncoding("UTF-8");
        views.setContentType("text/html;charset=UTF-8");
        views.setOrder(0);
        return views;
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        // by name pattern: the folder of the report's styles and script also holds its
        // template, which is not an asset
        registry.addResourceHandler("/assets/report.*").addResourceLocations("classpath:/report/");
        registry.addResourceHandler("/assets/dashboard.*").addResourceLocations("classpath:/dashboard/");
        registry.addResourceHandler("/assets/uPlot.*")
            .addResourceLocations("classpath:/" + dev.batchetl.report.ReportPage.UPLOT);
    }

}
