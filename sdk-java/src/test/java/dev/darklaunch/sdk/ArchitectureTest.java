package dev.darklaunch.sdk;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The boundaries that keep the SDK light and the evaluator pure, checked on the compiled classes. */
class ArchitectureTest {

    private static final JavaClasses SDK = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.darklaunch.sdk");

    @Test
    void the_sdk_depends_on_no_server_framework() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "dev.darklaunch.server..")
                .check(SDK);
    }

    @Test
    void the_evaluator_knows_nothing_of_transport_storage_or_the_client() {
        classes().that().resideInAPackage("dev.darklaunch.sdk.internal.evaluation..")
                .should().onlyDependOnClassesThat(resideInAnyPackage(
                        "dev.darklaunch.sdk.internal.evaluation..", "dev.darklaunch.sdk.internal.model..",
                        "java.lang..", "java.util..", "java.nio.charset..", "java.math..",
                        "com.fasterxml.jackson.databind..", "com.google.re2j..")
                        .or(belongToAnyOf(Context.class, Reason.class, Reason.Kind.class, Reason.ErrorKind.class,
                                EvaluationDetail.class, FlagFacts.class, FlagFacts.Kind.class)))
                .check(SDK);
    }

    @Test
    void the_model_depends_only_on_jackson_and_the_jdk() {
        classes().that().resideInAPackage("dev.darklaunch.sdk.internal.model..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.darklaunch.sdk.internal.model..",
                        "java..", "com.fasterxml.jackson..", "com.google.re2j..")
                .check(SDK);
    }
}
