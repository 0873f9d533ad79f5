package dev.chartwright.interop;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

/**
 * HAPI FHIR's validator as a HAPI server runs it, behind a loopback HTTP endpoint, so the JVM and the
 * validation context start once for a whole cohort.
 *
 * <p>Chain: R4 core definitions, the IG packages given (NpmPackageValidationSupport, each a .tgz on
 * the classpath in the registry's layout), HAPI's built-in code systems (UCUM, BCP-47, ISO, USPS...),
 * in-memory expansion of every value set whose code systems are loaded, and a warning, not an error,
 * for code systems that cannot be checked offline (SNOMED CT, LOINC, RxNorm, CVX, ...).
 *
 * <p>Usage: {@code ValidatorServer THREADS classpath:/pkg1.tgz [classpath:/pkg2.tgz ...]}. Prints
 * {@code listening on http://127.0.0.1:PORT} once ready. {@code POST /validate} with a FHIR JSON
 * resource (a Bundle is validated whole, entries against the profiles they claim) answers
 * {@code {"ms": N, "cpuMs": N, "issues": [{"severity","location","line","messageId","message"}]}}.
 */
public final class ValidatorServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ValidatorServer() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    FhirContext ctx = FhirContext.forR4Cached();
    ValidationSupportChain chain = new ValidationSupportChain();
    chain.addValidationSupport(new DefaultProfileValidationSupport(ctx));
    for (int i = 1; i < args.length; i++) {
      NpmPackageValidationSupport npm = new NpmPackageValidationSupport(ctx);
      npm.loadPackageFromClasspath(args[i]);
      chain.addValidationSupport(npm);
    }
    chain.addValidationSupport(new CommonCodeSystemsTerminologyService(ctx));
    chain.addValidationSupport(new OfflineValueSetSupport(ctx));
    chain.addValidationSupport(new InMemoryTerminologyServerValidationSupport(ctx));
    chain.addValidationSupport(new SnapshotGeneratingValidationSupport(ctx));
    UnknownCodeSystemWarningValidationSupport unknown = new UnknownCodeSystemWarningValidationSupport(ctx);
    unknown.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
    chain.addValidationSupport(unknown);

    FhirInstanceValidator module = new FhirInstanceValidator(chain);
    FhirValidator validator = ctx.newValidator().registerValidatorModule(module);
    // Pay the first-use cost (snapshots, FHIRPath engine, caches) before saying we are ready.
    validator.validateWithResult("{\"resourceType\":\"Patient\",\"meta\":{\"profile\":[\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient\"]}}");

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(Math.max(1, threads)));
    server.createContext("/health", exchange -> respond(exchange, 200, "{\"ok\":true}"));
    server.createContext("/validate", exchange -> {
      try {
        if (!"POST".equals(exchange.getRequestMethod())) {
          respond(exchange, 405, "{\"error\":\"POST a FHIR JSON resource\"}");
          return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        long started = System.nanoTime();
        long startedCpu = THREADS.getCurrentThreadCpuTime();
        ValidationResult result = validator.validateWithResult(body);
        ObjectNode out = JSON.createObjectNode();
        out.put("ms", (System.nanoTime() - started) / 1_000_000);
        // CPU time of this request's thread: a figure that other load on the machine does not inflate.
        out.put("cpuMs", (THREADS.getCurrentThreadCpuTime() - startedCpu) / 1_000_000);
        ArrayNode issues = out.putArray("issues");
        for (SingleValidationMessage message : result.getMessages()) {
          ObjectNode issue = issues.addObject();
          issue.put("severity", message.getSeverity().getCode());
          issue.put("location", message.getLocationString());
          if (message.getLocationLine() != null) issue.put("line", message.getLocationLine());
          issue.put("messageId", message.getMessageId());
          issue.put("message", message.getMessage());
        }
        respond(exchange, 200, JSON.writeValueAsString(out));
      } catch (RuntimeException e) {
        respond(exchange, 500, JSON.writeValueAsString(JSON.createObjectNode().put("error", String.valueOf(e))));
      }
    });
    server.start();
    System.out.println("listening on http://127.0.0.1:" + server.getAddress().getPort());
    System.out.flush();
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }
}
