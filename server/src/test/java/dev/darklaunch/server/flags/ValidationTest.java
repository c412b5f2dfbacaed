package dev.darklaunch.server.flags;

import dev.darklaunch.sdk.internal.model.Flag;
import dev.darklaunch.sdk.internal.model.FlagConfig;
import dev.darklaunch.sdk.internal.model.InvalidModelException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requirement (security: never compile a pattern on an event loop): model validation, which
 * compiles regular expressions, runs on a worker thread when called from an event loop, and its
 * refusal comes back as a failed future the error handler maps to 400.
 */
class ValidationTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void work_called_from_an_event_loop_runs_on_a_worker_thread() throws Exception {
        CompletableFuture<Boolean> onWorker = new CompletableFuture<>();
        CompletableFuture<Boolean> calledOnEventLoop = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            calledOnEventLoop.complete(Context.isOnEventLoopThread());
            Validation.onWorker(() -> Context.isOnWorkerThread() && !Context.isOnEventLoopThread())
                    .onComplete(result -> onWorker.complete(result.succeeded() && result.result()));
        });
        assertThat(calledOnEventLoop.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(onWorker.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void a_refused_configuration_fails_the_future_with_the_field() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        FlagConfig bomb = dev.darklaunch.sdk.internal.model.ModelJson.mapper().readValue("""
                {"on": true, "offVariation": 1, "fallthrough": {"variation": 0}, "rules": [{"serve": {"variation": 0},
                 "clauses": [{"attribute": "email", "op": "matches", "values": ["((a{1000}){1000}){1000}"]}]}]}""", FlagConfig.class);
        vertx.runOnContext(v -> Validation.config(Flag.ofBoolean("f", "F"), bomb).onFailure(failure::complete));
        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(InvalidModelException.class,
                e -> assertThat(e.field()).isEqualTo("rules[0].clauses[0].values[0]"));
    }
}
