package io.colabtop.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of ARCHITECTURE.md, on the compiled main classes of all three modules. A new
 * dependency against them fails the build with the offending class and line.
 */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void load() {
        // core and ssh arrive as directories (test) or jars (verify): both count; their test-jar does not
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.colabtop");
    }

    @Test
    void appFeaturePackagesHaveNoCycle() {
        slices().matching("io.colabtop.app.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void tuiLayersHaveNoCycle() {
        slices().matching("io.colabtop.app.tui.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void nothingDependsOnTheCommandLine() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.colabtop.app.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.colabtop.app.cli..")
                .check(classes);
    }

    @Test
    void gceKnowsNothingOfTheScreen() {
        noClasses()
                .that()
                .resideInAPackage("io.colabtop.app.gce..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.colabtop.app.tui..")
                .check(classes);
    }

    @Test
    void serveIsReadOnlyAndKnowsNothingOfTheScreen() {
        // colabtop serve exports what the poller read; no action can be reached from its HTTP side
        noClasses()
                .that()
                .resideInAPackage("io.colabtop.app.serve..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.colabtop.app.tui..", "io.colabtop.app.action..", "io.colabtop.core.action..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.colabtop.ssh.SshShell")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.colabtop.ssh.LocalProcess")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.colabtop.ssh.HostScripts")
                .check(classes);
    }

    @Test
    void onlyTheCommandLineStartsServe() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.colabtop.app.serve..", "io.colabtop.app.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.colabtop.app.serve..")
                .check(classes);
    }

    @Test
    void onlyTheTuiTouchesLanterna() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.colabtop.app.tui..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.googlecode.lanterna..")
                .check(classes);
    }

    @Test
    void renderersArePure() {
        // rows of strings from state: no session, no screen, no thread
        noClasses()
                .that()
                .resideInAPackage("io.colabtop.app.tui.render..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.colabtop.app.tui",
                        "io.colabtop.app.fleet..",
                        "io.colabtop.app.gce..",
                        "io.colabtop.ssh..",
                        "com.googlecode.lanterna.screen..",
                        "com.googlecode.lanterna.terminal..")
                .check(classes);
    }

    @Test
    void coreIsThePureModel() {
        noClasses()
                .that()
                .resideInAPackage("io.colabtop.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.colabtop.ssh..",
                        "io.colabtop.app..",
                        "java.nio.file..",
                        "java.net..",
                        "java.io..",
                        "java.util.concurrent..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName(Thread.class.getName())
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName(ProcessBuilder.class.getName())
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName(Process.class.getName())
                .check(classes);
    }

    @Test
    void sshKnowsNothingOfTheProgram() {
        noClasses()
                .that()
                .resideInAPackage("io.colabtop.ssh..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.colabtop.app..")
                .check(classes);
    }
}
