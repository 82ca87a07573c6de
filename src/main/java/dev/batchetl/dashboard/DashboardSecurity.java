package dev.batchetl.dashboard;

import dev.batchetl.job.BatchEtlProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what on the dashboard: reading (the runs list, a run's page and its data) is
 * open, stopping and restarting need a login, every form carries a CSRF token. The one
 * user comes from {@code batch-etl.dashboard.user} and
 * {@code batch-etl.dashboard.password} (a plain password, or one encoded as
 * {@code {bcrypt}...}); without a password no login works and the buttons say how to set
 * one. There is no default password.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class DashboardSecurity {

    /** The pages and actions that change state. */
    static final String[] CHANGES = { "/runs/*/stop", "/runs/*/restart" };

    @Bean
    SecurityFilterChain dashboardFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(
                requests -> requests.requestMatchers(HttpMethod.POST, CHANGES).authenticated().anyRequest().permitAll())
            .formLogin(login -> login.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
            .logout(logout -> logout.logoutSuccessUrl("/"))
            // scripts only from the application; the page's data is a JSON script
            // element,
            // never run; the charts set styles from script
            .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; "
                    + "script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                    + "frame-ancestors 'none'; form-action 'self'")));
        return http.build();
    }

    @Bean
    PasswordEncoder dashboardPasswordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService dashboardUsers(BatchEtlProperties properties, PasswordEncoder encoder) {
        BatchEtlProperties.Dashboard settings = properties.dashboard();
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        if (settings.loginEnabled()) {
            String password = settings.password();
            String encoded = password.startsWith("{") ? password : encoder.encode(password);
            users.createUser(User.withUsername(settings.user()).password(encoded).roles("OPERATOR").build());
        }
        return users;
    }

}
