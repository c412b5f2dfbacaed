package dev.darklaunch.server;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static org.assertj.core.api.Assertions.assertThat;
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

    /**
     * The server's packages from the bottom up: each may use the packages of the levels below its
     * own, never one of its own level or above. A new package takes its place here.
     */
    private static final List<List<String>> LEVELS = List.of(
            List.of("failures", "settings", "guards"),
            List.of("store"),
            List.of("changes"),
            List.of("http"),
            List.of("auth"),
            List.of("projects"),
            List.of("flags"),
            List.of("segments", "tracking"),
            List.of("audit", "feed", "evaluation", "imports", "documents"),
            List.of("deployments"),
            List.of("webhooks"),
            List.of("ofrep", "ops", "ui"));

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
    void every_package_has_its_level() {
        TreeSet<String> packages = new TreeSet<>();
        SERVER.forEach(javaClass -> {
            if (javaClass.getPackageName().startsWith(ROOT + ".")) {
                packages.add(javaClass.getPackageName().substring(ROOT.length() + 1).split("\\.")[0]);
            }
        });
        assertThat(LEVELS.stream().flatMap(List::stream).sorted().toList())
                .as("the packages in LEVELS, against those the server has: each must take its place there")
                .containsExactlyElementsOf(packages);
    }

    @Test
    void each_package_uses_only_the_packages_below_it() {
        List<ArchRule> rules = new ArrayList<>();
        for (int level = 0; level < LEVELS.size(); level++) {
            for (String own : LEVELS.get(level)) {
                List<String> notBelow = new ArrayList<>();
                for (List<String> notLower : LEVELS.subList(level, LEVELS.size())) {
                    notLower.stream().filter(other -> !other.equals(own)).forEach(other -> notBelow.add(ROOT + "." + other + ".."));
                }
                if (!notBelow.isEmpty()) {
                    rules.add(noClasses().that().resideInAPackage(ROOT + "." + own + "..")
                            .should().dependOnClassesThat().resideInAnyPackage(notBelow.toArray(String[]::new)));
                }
            }
        }
        CompositeArchRule.of(rules).as("each package uses only the packages of the levels below its own").check(SERVER);
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
