package io.federa.arch;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module arrows of {@code docs/architecture.md}: crypto and federation use core; ml uses
 * core, crypto and federation; flow and serving use ml; cli uses everything; nothing points upward.
 */
class ArchitectureTest {

  /** The layering rule over a package root ({@code io.federa} in production). */
  static ArchRule moduleArrows(String root) {
    return layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .withOptionalLayers(true)
        .layer("core")
        .definedBy(root + ".core..")
        .layer("crypto")
        .definedBy(root + ".crypto..")
        .layer("federation")
        .definedBy(root + ".federation..")
        .layer("ml")
        .definedBy(root + ".ml..")
        .layer("flow")
        .definedBy(root + ".flow..")
        .layer("serving")
        .definedBy(root + ".serving..")
        .layer("cli")
        .definedBy(root + ".cli..")
        .layer("bench")
        .definedBy(root + ".bench..")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("bench")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("flow")
        .mayOnlyBeAccessedByLayers("cli", "bench")
        .whereLayer("serving")
        .mayOnlyBeAccessedByLayers("flow", "cli", "bench")
        .whereLayer("ml")
        .mayOnlyBeAccessedByLayers("flow", "serving", "cli", "bench")
        .whereLayer("crypto")
        .mayOnlyBeAccessedByLayers("ml", "flow", "serving", "cli", "bench")
        .whereLayer("federation")
        .mayOnlyBeAccessedByLayers("ml", "flow", "serving", "cli", "bench");
  }

  @Test
  void productionCode_keepsTheModuleArrows() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.federa");
    assertTrue(classes.size() > 20, "the importer found Federa's classes");
    moduleArrows("io.federa").check(classes);
  }

  @Test
  void generatedProtoAndTransportInternals_stayInsideTheFederationModule() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.federa");
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
        .that()
        .resideOutsideOfPackage("io.federa.federation..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.federa.federation.internal..")
        .because("generated protobuf classes and TLS plumbing are the federation's own business")
        .check(classes);
  }

  @Test
  void aCoreClassUsingMl_breaksTheRule() {
    JavaClasses fixture = new ClassFileImporter().importPackages("io.federa.archfixture");
    EvaluationResult result = moduleArrows("io.federa.archfixture").evaluate(fixture);
    assertTrue(result.hasViolation(), "an upward arrow from core to ml must be reported");
    assertTrue(
        result.getFailureReport().toString().contains("UpwardArrow"),
        result.getFailureReport().toString());
  }

  @Test
  void theFixtureWithoutItsUpwardArrow_passes() {
    JavaClasses fixture =
        new ClassFileImporter()
            .importPackages("io.federa.archfixture.ml", "io.federa.archfixture.cli");
    assertFalse(moduleArrows("io.federa.archfixture").evaluate(fixture).hasViolation());
  }
}
