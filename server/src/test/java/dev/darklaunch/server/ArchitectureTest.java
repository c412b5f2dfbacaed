package dev.darklaunch.server;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Layers you can see, checked on the server's compiled classes: packages that depend on each other
 * only downwards, SQL in the stores and HTTP in the APIs and {@code http}, each store built once by the
 * composition root, and the SDK's internals used only where the server shares the SDK's model and
 * evaluator. A class belongs to a store or an API when its top-level class is named {@code *Store} or
 * {@code *Api}, so nested records, lambdas and anonymous classes count with it.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.darklaunch.server";

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** Classes of a top-level class named {@code *<suffix>}, nested ones included. */
    private static DescribedPredicate<JavaClass> partOfClassNamed(String suffix) {
        return DescribedPredicate.describe("are part of a class named *" + suffix,
                javaClass -> topLevel(javaClass).getSimpleName().endsWith(suffix));
    }

    private static JavaClass topLevel(JavaClass javaClass) {
        JavaClass current = javaClass;
        while (current.getEnclosingClass().isPresent()) {
            current = current.getEnclosingClass().get();
        }
        return current;
    }

    @Test
    void no_package_depends_on_another_that_depends_back_on_it() {
        slices().matching(ROOT + ".(**)").namingSlices("$1")
                .should().beFreeOfCycles()
                .check(SERVER);
    }

    @Test
    void nothing_depends_on_the_composition_root() {
        noClasses().that().resideOutsideOfPackage(ROOT)
                .should().dependOnClassesThat().resideInAPackage(ROOT)
                .check(SERVER);
    }

    @Test
    void stores_know_nothing_of_http() {
        noClasses().that(partOfClassNamed("Store")).or().resideInAPackage(ROOT + ".store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.ext.web..", "io.vertx.core.http..",
                        ROOT + ".http..")
                .check(SERVER);
    }

    @Test
    void api_classes_hold_no_sql() {
        noClasses().that(partOfClassNamed("Api"))
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.sqlclient..", "io.vertx.pgclient..")
                .check(SERVER);
    }

    @Test
    void only_http_knows_api_error() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".http..")
                .should().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".http.ApiError")
                .check(SERVER);
    }

    @Test
    void stores_are_built_only_by_the_composition_root() {
        noClasses().that().resideOutsideOfPackage(ROOT)
                .should().callConstructorWhere(DescribedPredicate.describe("the constructor is a store's",
                        (JavaConstructorCall call) -> call.getTargetOwner().getSimpleName().endsWith("Store")))
                .check(SERVER);
    }

    /**
     * The server shares the SDK's flag model ({@code sdk.internal.model}: records, JSON, validation) —
     * one source of truth for what a flag is. The SDK's evaluator ({@code sdk.internal.evaluation})
     * belongs to the evaluation bridge alone: the evaluate endpoint ({@code evaluation}) and OFREP
     * ({@code ofrep}).
     */
    @Test
    void only_the_evaluation_bridge_uses_the_sdk_evaluator() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".evaluation..", ROOT + ".ofrep..")
                .should().dependOnClassesThat().resideInAPackage("dev.darklaunch.sdk.internal.evaluation..")
                .check(SERVER);
    }

    /** Any other SDK internals (its data sources, …) are the SDK's own business. */
    @Test
    void the_server_uses_no_sdk_internals_but_the_model_and_the_evaluator() {
        noClasses()
                .should().dependOnClassesThat(resideInAPackage("dev.darklaunch.sdk.internal..")
                        .and(resideOutsideOfPackages("dev.darklaunch.sdk.internal.model..", "dev.darklaunch.sdk.internal.evaluation..")))
                .check(SERVER);
    }

    @Test
    void the_model_and_evaluator_come_from_the_sdk_and_never_depend_back_on_the_server() {
        noClasses().that().resideInAPackage("dev.darklaunch.sdk..")
                .should().dependOnClassesThat().resideInAPackage("dev.darklaunch.server..")
                .check(new ClassFileImporter().importPackages("dev.darklaunch.sdk"));
    }
}
