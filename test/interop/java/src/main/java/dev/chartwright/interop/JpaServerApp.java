package dev.chartwright.interop;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * A HAPI FHIR JPA server as sandboxes run it: HAPI's JPA configuration for R4 over an embedded H2
 * database in a folder of the caller's, served by Spring Boot's embedded Tomcat at
 * {@code http://127.0.0.1:PORT/fhir}. Only the auto-configuration a servlet server needs is imported
 * (no data source, JPA or template auto-configuration: HAPI configures its own).
 *
 * <p>Usage: {@code JpaServerApp DB_FOLDER}, with {@code --server.port=0} (or a port) as a Spring
 * argument. Prints {@code listening on http://127.0.0.1:PORT/fhir} once it serves requests. It
 * binds to 127.0.0.1 only and has no access control: it is a test consumer, not a deployment.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, ServletWebServerFactoryAutoConfiguration.class})
@Import({
  JpaR4Config.class,
  HapiJpaConfig.class,
  JpaBatch2Config.class,
  Batch2JobsConfig.class,
  SubscriptionChannelConfig.class,
  ThreadPoolFactoryConfig.class
})
public class JpaServerApp {
  private static String databaseFolder;

  public static void main(String[] args) {
    databaseFolder = args[0];
    SpringApplication app = new SpringApplication(JpaServerApp.class);
    app.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
    app.setDefaultProperties(defaults());
    String[] springArgs = java.util.Arrays.copyOfRange(args, 1, args.length);
    app.run(springArgs);
  }

  private static Properties defaults() {
    Properties p = new Properties();
    p.setProperty("server.address", "127.0.0.1");
    p.setProperty("server.port", "0");
    p.setProperty("spring.main.allow-bean-definition-overriding", "true");
    p.setProperty("spring.main.allow-circular-references", "true");
    return p;
  }

  @Bean
  public ApplicationListener<WebServerInitializedEvent> announcePort() {
    return event -> {
      System.out.println("listening on http://127.0.0.1:" + event.getWebServer().getPort() + "/fhir");
      System.out.flush();
    };
  }

  @Bean
  public JpaStorageSettings storageSettings() {
    // HAPI's defaults are what a sandbox runs, and what we test against.
    return new JpaStorageSettings();
  }

  @Bean
  public PartitionSettings partitionSettings() {
    return new PartitionSettings();
  }

  @Bean(destroyMethod = "close")
  public DataSource dataSource() {
    BasicDataSource ds = new BasicDataSource();
    ds.setDriver(new org.h2.Driver());
    // A file database: keeps the heap modest with a 100-patient cohort loaded.
    ds.setUrl("jdbc:h2:file:" + databaseFolder + "/hapi;DB_CLOSE_ON_EXIT=FALSE");
    ds.setUsername("sa");
    ds.setPassword("");
    ds.setMaxTotal(20);
    return ds;
  }

  @Primary
  @Bean
  public LocalContainerEntityManagerFactoryBean entityManagerFactory(
      ConfigurableListableBeanFactory beanFactory, FhirContext ctx, JpaStorageSettings settings, DataSource dataSource) {
    LocalContainerEntityManagerFactoryBean emf = HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, ctx, settings);
    emf.setPersistenceUnitName("HAPI_PU");
    emf.setDataSource(dataSource);
    Properties jpa = new Properties();
    jpa.put("hibernate.dialect", HapiFhirH2Dialect.class.getName());
    jpa.put("hibernate.hbm2ddl.auto", "update");
    jpa.put("hibernate.search.enabled", "false");
    jpa.put("hibernate.format_sql", "false");
    jpa.put("hibernate.show_sql", "false");
    jpa.put("hibernate.jdbc.batch_size", "20");
    jpa.put("hibernate.order_inserts", "true");
    // HAPI resolves a transaction's client ids with an OR-list of (type, id) pairs that H2 answers
    // by scanning every stored resource, so each upload got slower as the table grew; the inspector
    // rewrites it to a row-value IN list H2 answers from the index (IdListRewriter says why and how).
    jpa.put("hibernate.session_factory.statement_inspector", IdListStatementInspector.class.getName());
    emf.setJpaProperties(jpa);
    return emf;
  }

  @Primary
  @Bean
  public JpaTransactionManager transactionManager(EntityManagerFactory emf) {
    return new JpaTransactionManager(emf);
  }

  @Bean
  public RestfulServer restfulServer(
      IFhirSystemDao<?, ?> systemDao,
      ResourceProviderFactory resourceProviders,
      IJpaSystemProvider systemProvider,
      JpaStorageSettings settings,
      ISearchParamRegistry searchParams,
      IValidationSupport validationSupport,
      DatabaseBackedPagingProvider paging) {
    RestfulServer server = new RestfulServer(systemDao.getContext());
    server.registerProviders(resourceProviders.createProviders());
    server.registerProvider(systemProvider);
    server.setServerConformanceProvider(new JpaCapabilityStatementProvider(server, systemDao, settings, searchParams, validationSupport));
    // Wider pages than HAPI's default 20, so a test reads a patient's $everything in a few pages.
    paging.setDefaultPageSize(100);
    paging.setMaximumPageSize(1000);
    server.setPagingProvider(paging);
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
    return server;
  }

  @Bean
  public ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer server) {
    ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
    registration.setLoadOnStartup(1);
    return registration;
  }
}
