package dev.darklaunch.server.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTest {

    @Test
    void the_libpq_and_jdbc_forms_are_both_accepted() {
        DatabaseUrl libpq = DatabaseUrl.parse("postgresql://flags:s3cret@db.internal:6543/darklaunch");
        assertThat(libpq.jdbcUrl()).startsWith("jdbc:postgresql://db.internal:6543/darklaunch");
        assertThat(libpq.user()).isEqualTo("flags");
        assertThat(libpq.password()).isEqualTo("s3cret");

        DatabaseUrl jdbc = DatabaseUrl.parse("jdbc:postgresql://db:5432/darklaunch?user=flags&password=s3cret");
        assertThat(jdbc.user()).isEqualTo("flags");
        assertThat(jdbc.describe()).isEqualTo("db:5432/darklaunch").doesNotContain("s3cret");
    }

    @Test
    void anything_else_is_refused_with_the_expected_shape() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://db/x")).hasMessageContaining("postgresql://");
    }
}
