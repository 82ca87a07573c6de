package dev.batchetl.storage;

import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Schema management: Flyway applies V1 (Spring Batch's tables) and the SQL migrations of {@code sql/} on every start;
 * applying them again to an up-to-date database changes nothing.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

	@Bean
	FlywayConfigurationCustomizer springBatchSchemaMigration() {
		return configuration -> configuration.javaMigrations(new SpringBatchSchema());
	}

}
