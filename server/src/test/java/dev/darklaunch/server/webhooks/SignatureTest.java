package dev.darklaunch.server.webhooks;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureTest {

    @Test
    void signs_with_hmac_sha256_in_hex_as_rfc_4231_test_case_2() {
        assertThat(Signature.of("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void another_secret_or_another_body_gives_another_signature() {
        byte[] body = "{\"action\":\"flag.off\"}".getBytes(StandardCharsets.UTF_8);
        String signature = Signature.of("whsec_a", body);
        assertThat(Signature.of("whsec_b", body)).isNotEqualTo(signature);
        assertThat(Signature.of("whsec_a", "{\"action\":\"flag.on\"}".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(signature);
        assertThat(Signature.of("whsec_a", body)).isEqualTo(signature);
    }

    @Test
    void secrets_are_long_random_and_recognisable() {
        String one = Signature.newSecret();
        assertThat(one).startsWith("whsec_").hasSize("whsec_".length() + 43).isNotEqualTo(Signature.newSecret());
    }
}
