package dev.darklaunch.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** Layers you can see: HTTP in the *Api classes, SQL in the stores, neither leaking into the other. */
class ArchitectureTest {

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.darklaunch.server");

    @Test
    void no_package_cycles() {
        slices().matching("dev.darklaunch.server.(*)..").should().beFreeOfCycles().check(SERVER);
    }

    @Test
    void stores_know_nothing_of_http() {
        noClasses().that().haveSimpleNameEndingWith("Store").or().resideInAPackage("..store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.ext.web..", "io.vertx.core.http..")
                .check(SERVER);
    }

    @Test
    void api_classes_hold_no_sql() {
        noClasses().that().haveSimpleNameEndingWith("Api")
                .should().dependOnClassesThat().belongToAnyOf(io.vertx.sqlclient.Tuple.class, io.vertx.sqlclient.Row.class,
                        io.vertx.sqlclient.SqlClient.class)
                .check(SERVER);
    }

    @Test
    void the_model_and_evaluator_come_from_the_sdk_and_never_depend_back_on_the_server() {
        noClasses().that().resideInAPackage("dev.darklaunch.sdk..")
                .should().dependOnClassesThat().resideInAPackage("dev.darklaunch.server..")
                .check(new ClassFileImporter().importPackages("dev.darklaunch.sdk"));
    }
}
