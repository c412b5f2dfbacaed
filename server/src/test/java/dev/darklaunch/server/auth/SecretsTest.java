package dev.darklaunch.server.auth;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTest {

    @Test
    void secrets_are_random_prefixed_by_kind_and_long() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String secret = Secrets.generate(TokenKind.SDK);
            assertThat(secret).startsWith("dl_sdk_").hasSize("dl_sdk_".length() + 43).matches("[A-Za-z0-9_-]+");
            assertThat(seen.add(secret)).isTrue();
        }
    }

    @Test
    void the_hash_is_sha256_and_the_hint_reveals_only_the_last_four_characters() {
        String secret = "dl_admin_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        assertThat(Secrets.hash(secret)).hasSize(32).isEqualTo(Secrets.hash(secret));
        assertThat(Secrets.hint(secret)).isEqualTo("dl_admin_…DEFG");
    }

    @Test
    void the_hint_keeps_the_kind_even_when_the_random_part_has_underscores() {
        assertThat(Secrets.hint("dl_pipeline_ab_cd_ef_gh_ij_kl_mn_op_qr_st_uv_wx_yz_0123")).isEqualTo("dl_pipeline_…0123");
        assertThat(Secrets.hint("dl_sdk_____")).isEqualTo("dl_sdk_…____");
        assertThat(Secrets.hint("a-token-from-the-environment-variable")).isEqualTo("…able");
        for (int i = 0; i < 1000; i++) {
            assertThat(Secrets.hint(Secrets.generate(TokenKind.PIPELINE))).startsWith("dl_pipeline_…").hasSize(17);
        }
    }
}
