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

    /** No class in {@code packages} depends on a class in {@code forbidden}. */
    private static void noDependency(String[] packages, String... forbidden) {
        noClasses().that().resideInAnyPackage(packages).should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .check(classes);
    }

    private static String[] in(String... packages) {
        return packages;
    }

    @Test
    void aboveTheBackendNothingNamesAnImplementation() {
        noDependency(in("dev.recon.net..", "dev.recon.train..", "dev.recon.score..", "dev.recon.eval..",
                "dev.recon.model..", "dev.recon.data..", "dev.recon.io..", "dev.recon.baseline..", "dev.recon.pipeline.."),
                "dev.recon.backend.cpu..", "dev.recon.backend.cuda..");
    }

    @Test
    void dataNeedsNoModelBackendTrainingOrCommandLine() {
        noDependency(in("dev.recon.data.."), "dev.recon.model..", "dev.recon.backend..", "dev.recon.net..",
                "dev.recon.train..", "dev.recon.cli..");
    }

    @Test
    void valuesAndMetricsUseNoBackend() {
        noDependency(in("dev.recon.model..", "dev.recon.eval..", "dev.recon.baseline.."), "dev.recon.backend..",
                "dev.recon.net..");
    }

    @Test
    void reportServeAndExportDoNotReachBackIntoTheCommandLine() {
        noDependency(in("dev.recon.report..", "dev.recon.serve..", "dev.recon.export.."), "dev.recon.cli..");
    }

    @Test
    void theOnnxExportRestatesTheMathWithoutRunningIt() {
        noDependency(in("dev.recon.export.."), "dev.recon.backend..", "dev.recon.net..", "dev.recon.score..",
                "dev.recon.serve..", "ai.onnxruntime..");
    }

    @Test
    void thePackagesFormNoCycle() {
        slices().matching("dev.recon.(*)..").should().beFreeOfCycles().check(classes);
    }
}
