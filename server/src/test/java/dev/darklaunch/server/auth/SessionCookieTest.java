package dev.darklaunch.server.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionCookieTest {

    @Test
    void the_session_cookie_is_http_only_strict_and_site_wide_and_secure_over_https() {
        assertThat(SessionCookie.set("abc", false)).isEqualTo("darklaunch_session=abc; Path=/; HttpOnly; SameSite=Strict");
        assertThat(SessionCookie.set("abc", true)).isEqualTo("darklaunch_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure");
        assertThat(SessionCookie.clear(false)).isEqualTo("darklaunch_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    }

    @Test
    void csrf_tokens_match_only_when_equal() {
        assertThat(SessionCookie.csrfMatches("token", "token")).isTrue();
        assertThat(SessionCookie.csrfMatches("token", "tokem")).isFalse();
        assertThat(SessionCookie.csrfMatches("toke", "token")).isFalse();
        assertThat(SessionCookie.csrfMatches(null, "token")).isFalse();
        assertThat(SessionCookie.csrfMatches("", "token")).isFalse();
        assertThat(SessionCookie.csrfMatches("token", null)).isFalse();
    }

    @Test
    void an_origin_matches_the_host_the_request_was_addressed_to() {
        assertThat(SessionCookie.sameOrigin("http://localhost:8080", "localhost:8080", null)).isTrue();
        assertThat(SessionCookie.sameOrigin("https://flags.example.com", "flags.example.com", null)).isTrue();
        assertThat(SessionCookie.sameOrigin("https://flags.example.com", "flags.example.com:443", null)).isTrue();
        assertThat(SessionCookie.sameOrigin("HTTPS://Flags.Example.com", "flags.example.com", null)).isTrue();
        assertThat(SessionCookie.sameOrigin("https://flags.example.com", "10.0.0.5:8080", "flags.example.com")).isTrue();

        assertThat(SessionCookie.sameOrigin("https://evil.example", "flags.example.com", null)).isFalse();
        assertThat(SessionCookie.sameOrigin("http://localhost:5173", "localhost:8080", null)).isFalse();
        assertThat(SessionCookie.sameOrigin("https://flags.example.com.evil.example", "flags.example.com", null)).isFalse();
        assertThat(SessionCookie.sameOrigin("null", "flags.example.com", null)).isFalse();
        assertThat(SessionCookie.sameOrigin("not a url", "flags.example.com", null)).isFalse();
        assertThat(SessionCookie.sameOrigin("https://flags.example.com", null, null)).isFalse();
    }

    @Test
    void only_printable_ascii_of_bounded_length_can_be_a_session_secret() {
        assertThat(SessionCookie.plausible("abcDEF-_123")).isTrue();
        assertThat(SessionCookie.plausible("")).isFalse();
        assertThat(SessionCookie.plausible("a b")).isFalse();
        assertThat(SessionCookie.plausible("é")).isFalse();
        assertThat(SessionCookie.plausible("x".repeat(257))).isFalse();
    }
}
