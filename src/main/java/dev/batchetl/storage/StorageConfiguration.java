package dev.batchetl.storage;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Schema management: {@link SchemaMigration} brings the database to this build's version
 * before anything uses it (V1 Spring Batch's tables, then the SQL migrations of
 * {@code sql/}); an up-to-date database is left as it is.
 */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

    @Bean
    SchemaMigration schemaMigration(DataSource dataSource) {
        return new SchemaMigration(dataSource);
    }

}
