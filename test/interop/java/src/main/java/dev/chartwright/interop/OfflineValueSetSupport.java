package dev.chartwright.interop;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Answers "cannot be checked offline" for a value set that includes another value set no loaded
 * package defines (US Core 6.1.0 composes its race, ethnicity and birth-sex value sets from VSAC
 * value sets, in the us.nlm.vsac package that no registry we reach serves).
 *
 * <p>Without it, HAPI's in-memory terminology expands such a value set to only the parts it has,
 * and reports every code of a required binding as "not found": an error that says more than it
 * knows. With it the code is reported as a warning naming the missing value set, the same way
 * HAPI's UnknownCodeSystemWarningValidationSupport treats a code system it cannot check. Value
 * sets whose parts are all loaded are left to the in-memory terminology, which checks them.
 */
final class OfflineValueSetSupport implements IValidationSupport {
  private final FhirContext ctx;
  /** Value set URL → the first included value set no package defines (empty: fully loaded). */
  private final Map<String, Optional<String>> missing = new ConcurrentHashMap<>();

  OfflineValueSetSupport(FhirContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public FhirContext getFhirContext() {
    return ctx;
  }

  @Override
  public String getName() {
    return "Chartwright offline value set support";
  }

  @Override
  public boolean isValueSetSupported(ValidationSupportContext context, String url) {
    return missingInclude(context, url).isPresent();
  }

  @Override
  public CodeValidationResult validateCodeInValueSet(
      ValidationSupportContext context,
      ConceptValidationOptions options,
      String system,
      String code,
      String display,
      IBaseResource valueSet) {
    if (!(valueSet instanceof ValueSet vs)) return null;
    Optional<String> absent = missingInclude(context, vs.getUrl());
    if (absent.isEmpty()) return null;
    String message = "Code " + (system == null ? "" : system + "#") + code + " was not checked against ValueSet "
        + vs.getUrl() + ": it includes ValueSet " + absent.get() + ", which no loaded package defines (not available offline)";
    return new CodeValidationResult()
        .setCode(code)
        .setCodeSystemName(system)
        .setSeverity(IssueSeverity.WARNING)
        .setMessage(message)
        .addIssue(new CodeValidationIssue(message, IssueSeverity.WARNING, CodeValidationIssueCode.NOT_FOUND, CodeValidationIssueCoding.NOT_FOUND));
  }

  private Optional<String> missingInclude(ValidationSupportContext context, String url) {
    if (url == null) return Optional.empty();
    String bare = url.contains("|") ? url.substring(0, url.indexOf('|')) : url;
    return missing.computeIfAbsent(bare, key -> find(context, key, 0));
  }

  private Optional<String> find(ValidationSupportContext context, String url, int depth) {
    if (depth > 8) return Optional.empty();
    IBaseResource fetched = context.getRootValidationSupport().fetchValueSet(url);
    if (!(fetched instanceof ValueSet vs)) return Optional.empty();
    for (ValueSet.ConceptSetComponent include : vs.getCompose().getInclude()) {
      for (CanonicalType nested : include.getValueSet()) {
        String nestedUrl = nested.getValue();
        if (context.getRootValidationSupport().fetchValueSet(nestedUrl) == null) return Optional.of(nestedUrl);
        Optional<String> deeper = find(context, nestedUrl, depth + 1);
        if (deeper.isPresent()) return deeper;
      }
    }
    return Optional.empty();
  }
}
