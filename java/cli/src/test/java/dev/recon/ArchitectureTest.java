package dev.recon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules each package-info.java states, checked on the compiled classes of every module
 * (this module depends on all of them). A rule here is a sentence there: change both.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.recon");
    }

    @Test
    void onlyTheCudaBackendImportsJCuda() {
        noClasses().that().resideOutsideOfPackage("dev.recon.backend.cuda..")
                .should().dependOnClassesThat().resideInAPackage("jcuda..").check(classes);
    }

    @Test
    void aboveTheBackendNothingNamesAnImplementation() {
        noClasses().that().resideInAnyPackage("dev.recon.net..", "dev.recon.train..", "dev.recon.score..",
                        "dev.recon.eval..", "dev.recon.model..", "dev.recon.data..", "dev.recon.io..",
                        "dev.recon.baseline..", "dev.recon.pipeline..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.recon.backend.cpu..", "dev.recon.backend.cuda..")
                .check(classes);
    }

    @Test
    void dataNeedsNoModelBackendTrainingOrCommandLine() {
        noClasses().that().resideInAPackage("dev.recon.data..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.recon.model..", "dev.recon.backend..",
                        "dev.recon.net..", "dev.recon.train..", "dev.recon.cli..")
                .check(classes);
    }

    @Test
    void valuesAndMetricsUseNoBackend() {
        noClasses().that().resideInAnyPackage("dev.recon.model..", "dev.recon.eval..", "dev.recon.baseline..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.recon.backend..", "dev.recon.net..")
                .check(classes);
    }

    @Test
    void reportServeAndExportDoNotReachBackIntoTheCommandLine() {
        noClasses().that().resideInAnyPackage("dev.recon.report..", "dev.recon.serve..", "dev.recon.export..")
                .should().dependOnClassesThat().resideInAPackage("dev.recon.cli..").check(classes);
    }

    @Test
    void theOnnxExportRestatesTheMathWithoutRunningIt() {
        noClasses().that().resideInAPackage("dev.recon.export..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.recon.backend..", "dev.recon.net..",
                        "dev.recon.score..", "dev.recon.serve..", "ai.onnxruntime..")
                .check(classes);
    }

    @Test
    void thePackagesFormNoCycle() {
        slices().matching("dev.recon.(*)..").should().beFreeOfCycles().check(classes);
    }
}
