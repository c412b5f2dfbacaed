package dev.darklaunch.sdk.internal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SemVer 2.0.0 parsing and precedence (https://semver.org/spec/v2.0.0.html, items 2, 9, 10, 11). */
class SemverTest {

    @Test
    void precedenceFollowsTheSpecExample() {
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0");
        List<Semver> versions = new ArrayList<>(ordered.stream().map(SemverTest::semver).toList());
        Collections.reverse(versions);
        Collections.sort(versions);
        assertThat(versions).extracting(Semver::toString).containsExactlyElementsOf(ordered);
        for (int i = 0; i + 1 < ordered.size(); i++) {
            assertThat(semver(ordered.get(i))).as("%s < %s", ordered.get(i), ordered.get(i + 1))
                    .isLessThan(semver(ordered.get(i + 1)));
        }
    }

    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource({
        "1.0.0, 2.0.0", "2.0.0, 2.1.0", "2.1.0, 2.1.1", "1.9.0, 1.10.0", "1.0.0-2, 1.0.0-10",
        "1.0.0-99, 1.0.0-a", "1.0.0-a, 1.0.0-b", "1.0.0-B, 1.0.0-a", "1.0.0-a, 1.0.0-a.0",
        "1.0.0-99999999999999999999, 1.0.0-100000000000000000000", "0.0.0, 9223372036854775807.0.0",
    })
    void ordersByPrecedence(String lower, String higher) {
        assertThat(semver(lower)).isLessThan(semver(higher));
        assertThat(semver(higher)).isGreaterThan(semver(lower));
    }

    @Test
    void buildMetadataIsIgnored() {
        assertThat(semver("1.0.0+20130313144700")).isEqualTo(semver("1.0.0+exp.sha.5114f85")).isEqualTo(semver("1.0.0"));
        assertThat(semver("1.0.0-beta+exp.sha.5114f85")).isEqualByComparingTo(semver("1.0.0-beta"));
        assertThat(semver("1.0.0+001")).hasToString("1.0.0");
    }

    @Test
    void partsAreParsed() {
        assertThat(semver("12.345.6789-rc.1.x-y")).isEqualTo(new Semver(12, 345, 6789, "rc.1.x-y"));
        assertThat(semver("0.0.0-0")).isEqualTo(new Semver(0, 0, 0, "0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "1", "1.0", "1.0.0.0", "01.0.0", "1.01.0", "1.0.01", "v1.0.0", "1.0.0-", "1.0.0+", "1.0.0-+b",
        "1.0.0-alpha..1", "1.0.0-alpha.", "1.0.0-01", "1.0.0-alpha.01", "1.0.0+build..1", "1.0.0 ", " 1.0.0",
        "1.0.0-beta_1", "1.0.0-é", "a.b.c", "1.-1.0", "1.0.0+b+c", "9223372036854775808.0.0", "１.0.0",
    })
    void invalidVersionsAreRejected(String text) {
        assertThat(Semver.parse(text)).isEmpty();
    }

    @Test
    void buildIdentifiersMayHaveLeadingZerosButPreReleaseNumbersMayNot() {
        assertThat(Semver.parse("1.0.0+01")).isPresent();
        assertThat(Semver.parse("1.0.0-0a")).isPresent();
        assertThat(Semver.parse("1.0.0-00")).isEmpty();
        assertThat(Semver.parse(null)).isEmpty();
    }

    @Test
    void theConstructorRejectsWhatParseWould() {
        assertThatThrownBy(() -> new Semver(-1, 0, 0, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Semver(1, 0, 0, "01")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Semver(1, 0, 0, null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Semver semver(String text) {
        return Semver.parse(text).orElseThrow(() -> new AssertionError("not parsed: " + text));
    }
}
