package dev.darklaunch.openfeature;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * This module is built on the SDK as applications see it: its public packages only, never
 * {@code dev.darklaunch.sdk.internal}, which may change in any release. (The rule fails, too, if it
 * finds no classes to check.)
 */
class SdkPublicApiTest {

    @Test
    void uses_only_the_public_api_of_the_sdk() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.darklaunch.sdk.internal..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.darklaunch.openfeature"));
    }
}
