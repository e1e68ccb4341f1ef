package io.federa.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module arrows of {@code docs/architecture.md}: crypto and federation use core; ml uses
 * core, crypto and federation; flow (with serving) uses ml; cli uses everything; nothing points
 * upward.
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
        .whereLayer("ml")
        .mayOnlyBeAccessedByLayers("flow", "cli", "bench")
        .whereLayer("crypto")
        .mayOnlyBeAccessedByLayers("ml", "flow", "cli", "bench")
        .whereLayer("federation")
        .mayOnlyBeAccessedByLayers("ml", "flow", "cli", "bench");
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

  /** A protocol role's class: {@code …Guest}, {@code …Host}, {@code …Arbiter}, {@code …Party}. */
  private static boolean isRole(JavaClass c) {
    String name = c.getSimpleName();
    return c.getEnclosingClass().isEmpty()
        && (name.endsWith("Guest")
            || name.endsWith("Host")
            || name.endsWith("Arbiter")
            || name.endsWith("Party"));
  }

  private static JavaClass topLevel(JavaClass c) {
    JavaClass t = c;
    while (t.getEnclosingClass().isPresent()) {
      t = t.getEnclosingClass().get();
    }
    return t;
  }

  /** One class per protocol role, and no role class names another role's class. */
  static ArchRule rolesStandAlone(String mlRoot) {
    return classes()
        .that()
        .resideInAPackage(mlRoot + "..")
        .and(DescribedPredicate.describe("are protocol roles", ArchitectureTest::isRole))
        .should(
            new ArchCondition<JavaClass>("name no other role's class") {
              @Override
              public void check(JavaClass role, ConditionEvents events) {
                for (Dependency d : role.getDirectDependenciesFromSelf()) {
                  JavaClass target = topLevel(d.getTargetClass());
                  if (target != role && isRole(target)) {
                    events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                  }
                }
              }
            });
  }

  @Test
  void protocolRoles_nameNoOtherRolesClass() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.federa.ml");
    rolesStandAlone("io.federa.ml").check(classes);
  }

  @Test
  void aRoleCallingAnotherRole_breaksTheRule() {
    JavaClasses fixture = new ClassFileImporter().importPackages("io.federa.archfixture.roles");
    EvaluationResult result = rolesStandAlone("io.federa.archfixture.roles").evaluate(fixture);
    assertTrue(result.hasViolation(), "a guest calling its arbiter's class must be reported");
  }

  /** Message names are written once, in a protocol's messages class, never in a role class. */
  @Test
  void protocolRoles_writeNoMessageTagLiteral() throws Exception {
    Path ml = Path.of("..", "federa-ml", "src", "main", "java", "io", "federa", "ml");
    List<Path> roles;
    try (Stream<Path> files = Files.walk(ml)) {
      roles =
          files.filter(f -> f.toString().matches(".*(Guest|Host|Arbiter|Party)\\.java")).toList();
    }
    assertTrue(roles.size() >= 7, "found the role classes: " + roles);
    for (Path role : roles) {
      assertFalse(
          Files.readString(role).contains("withTag("),
          role + " builds a message key itself; name it in the protocol's messages class");
    }
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
