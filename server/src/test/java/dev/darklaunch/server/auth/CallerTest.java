package dev.darklaunch.server.auth;

import dev.darklaunch.server.failures.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallerTest {

    private static Caller user(Role role) {
        OffsetDateTime now = OffsetDateTime.now();
        User user = new User(7, "ann@example.com", role, 1, now, "system", now);
        return new Caller(new Session(1, user, "csrf", now, now.plusHours(1)));
    }

    private static Caller token(TokenKind kind, String project, String... environments) {
        return new Caller(new Token(3, "ci", kind, project, List.of(environments), "…abcd", OffsetDateTime.now(), "system",
                null, null, null));
    }

    @Test
    void a_viewer_reads_every_project_and_changes_nothing() {
        Caller viewer = user(Role.VIEWER);
        viewer.requireRead("any");
        assertThat(viewer.canRead("other")).isTrue();
        assertForbidden(() -> viewer.requireToggle("any", "production"), "role viewer");
        assertForbidden(() -> viewer.requireDeploy("any", "production"), "role viewer");
        assertForbidden(() -> viewer.requireEdit("any"), "role viewer");
        assertForbidden(viewer::requireAdmin, "role viewer");
        assertThat(viewer.actor()).isEqualTo("user:ann@example.com");
    }

    @Test
    void an_editor_works_in_every_project_but_manages_no_tokens_or_users() {
        Caller editor = user(Role.EDITOR);
        editor.requireRead("any");
        editor.requireToggle("any", "production");
        editor.requireDeploy("any", "production");
        editor.requireEdit("any");
        assertForbidden(editor::requireAdmin, "role editor");
        assertThat(editor.isAdmin()).isFalse();
    }

    @Test
    void an_admin_user_may_do_everything() {
        Caller admin = user(Role.ADMIN);
        admin.requireRead("any");
        admin.requireToggle("any", "production");
        admin.requireEdit("any");
        admin.requireAdmin();
        assertThat(admin.isAdmin()).isTrue();
        assertThat(admin.isSdkToken()).isFalse();
    }

    @Test
    void tokens_keep_their_rules_and_actor() {
        Caller pipeline = token(TokenKind.PIPELINE, "shop", "staging");
        pipeline.requireRead("shop");
        pipeline.requireToggle("shop", "staging");
        assertForbidden(() -> pipeline.requireToggle("shop", "production"), "pipeline token");
        assertForbidden(() -> pipeline.requireRead("other"), "this token cannot read project 'other'");
        assertForbidden(() -> pipeline.requireEdit("shop"), "pipeline token");
        assertThat(pipeline.actor()).isEqualTo("ci (pipeline token #3)");
        assertThat(token(TokenKind.SDK, "shop", "production").isSdkToken()).isTrue();
        token(TokenKind.ADMIN, null).requireAdmin();
    }

    @Test
    void a_caller_is_a_token_or_a_session_never_both_or_neither() {
        assertThatThrownBy(() -> new Caller(null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertForbidden(Executable check, String explanation) {
        assertThatThrownBy(check::execute).isInstanceOfSatisfying(Failure.Forbidden.class, e -> {
            assertThat(e.getMessage()).contains(explanation);
        });
    }
}
