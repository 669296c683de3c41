package dev.metagate.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** Dependencies point inward (STYLE.md): the domain knows nothing; only app knows everything. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.metagate");

  private static final ArchRule domainDependsOnNothingOfOurs =
      noClasses()
          .that()
          .resideInAPackage("dev.metagate.metadata..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.metagate.app..",
              "dev.metagate.config..",
              "dev.metagate.api..",
              "dev.metagate.auth..",
              "dev.metagate.store..",
              "dev.metagate.cache..",
              "dev.metagate.ops..",
              "dev.metagate.upstream..");

  private static final ArchRule domainHasNoIo =
      noClasses()
          .that()
          .resideInAPackage("dev.metagate.metadata..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.vertx..", "java.sql..", "java.net..", "java.nio.file..");

  private static final ArchRule onlyAppKnowsConfig =
      noClasses()
          .that()
          .resideOutsideOfPackages("dev.metagate.app..", "dev.metagate.config..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.metagate.config..");

  private static final ArchRule nothingDependsOnApp =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.metagate.app..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.metagate.app..");

  private static final ArchRule storesAndCachesDoNotKnowEachOtherOrTheApi =
      noClasses()
          .that()
          .resideInAnyPackage("dev.metagate.store..", "dev.metagate.cache..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.metagate.api..", "dev.metagate.auth..");

  private static final ArchRule storeBackendsDoNotKnowEachOther =
      noClasses()
          .that()
          .resideInAPackage("dev.metagate.store.sqlite..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.metagate.store.postgres..")
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage("dev.metagate.cache..");

  private static final ArchRule postgresStoreKnowsTheCacheOnlyThroughItsPort =
      noClasses()
          .that()
          .resideInAPackage("dev.metagate.store.postgres..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.metagate.store.sqlite..", "dev.metagate.cache..");

  private static final ArchRule jsonHelpersAreALeaf =
      classes()
          .that()
          .resideInAPackage("dev.metagate.json..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("dev.metagate.json..", "java..");

  private static final ArchRule noSystemErrOrPrintStackTraceOutsideTheCli =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.metagate.app..")
          .should()
          .accessField(System.class, "err")
          .orShould()
          .accessField(System.class, "out")
          .orShould()
          .callMethod(Throwable.class, "printStackTrace");

  @Test
  void metadataDomain_dependsOnNothingOfOurs() {
    domainDependsOnNothingOfOurs.check(CLASSES);
  }

  @Test
  void metadataDomain_doesNoIo() {
    domainHasNoIo.check(CLASSES);
  }

  @Test
  void config_isKnownOnlyToApp() {
    onlyAppKnowsConfig.check(CLASSES);
  }

  @Test
  void app_isKnownToNobody() {
    nothingDependsOnApp.check(CLASSES);
  }

  @Test
  void storeAndCache_knowNeitherApiNorAuth() {
    storesAndCachesDoNotKnowEachOtherOrTheApi.check(CLASSES);
  }

  @Test
  void storeBackends_knowNeitherEachOtherNorTheCacheImplementation() {
    storeBackendsDoNotKnowEachOther.check(CLASSES);
    postgresStoreKnowsTheCacheOnlyThroughItsPort.check(CLASSES);
  }

  @Test
  void jsonHelpers_dependOnNothingButTheJdk() {
    jsonHelpersAreALeaf.check(CLASSES);
  }

  @Test
  void noConsolePrintingOutsideTheCli() {
    noSystemErrOrPrintStackTraceOutsideTheCli.check(CLASSES);
  }
}
