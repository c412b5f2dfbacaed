package dev.darklaunch.server.deployments;

import dev.darklaunch.server.flags.FlagConfigStore;
import dev.darklaunch.server.flags.FlagStore;
import dev.darklaunch.server.flags.FlagWrites;
import dev.darklaunch.server.flags.ManualChanges;
import dev.darklaunch.server.testing.TestDatabase;
import dev.darklaunch.server.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where guards will plug in: a due release step advances only when its {@link StepCondition}
 * holds, and is asked about again at the next check. The release state machine runs here on its
 * own, over a migrated database, so no server's scheduler takes the step behind the condition's back.
 */
class StepConditionIT {

    private static Vertx vertx;
    private static Pool pool;

    @BeforeAll
    static void start() throws Exception {
        String database = TestDatabase.fresh();
        TestServer.start(database).close(); // migrates and creates project "default"
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
                .connectingTo(PgConnectOptions.fromUri(database)).using(vertx).build();
    }

    @AfterAll
    static void stop() throws Exception {
        pool.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void a_due_step_waits_while_its_condition_does_not_hold_and_applies_once_it_does() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(false);
        List<StepCondition.NextStep> asked = new CopyOnWriteArrayList<>();
        DeploymentStore store = new DeploymentStore();
        FlagWrites flags = new FlagWrites(pool, new FlagStore(pool), new FlagConfigStore(), ManualChanges.NONE);
        Releases releases = new Releases(pool, store, flags, step -> {
            asked.add(step);
            return Future.succeededFuture(healthy.get());
        });
        DeploymentRecords records = new DeploymentRecords(pool, store, flags, releases);
        long id = records.record("pipeline", "default", new NewDeployment("checkout", "3.1.0", "production",
                        null, null, List.of("guarded-checkout"), "succeeded", null), Optional.empty())
                .await(30, TimeUnit.SECONDS).deployment().id();

        ReleasePlan plan = ReleasePlan.of(new ReleasePlan.Request(List.of(
                new ReleasePlan.StepRequest(BigDecimal.TEN, null, null),
                new ReleasePlan.StepRequest(BigDecimal.valueOf(100), null, "PT1H"))));
        Deployment started = releases.release("person", "default", id, plan, Optional.empty()).await(30, TimeUnit.SECONDS);
        assertThat(started.release().state()).isEqualTo(Deployment.Release.RUNNING);
        assertThat(started.release().steps().get(0).appliedAt()).as("the condition does not hold: the first step waits").isNull();
        assertThat(started.flags().get(0).on()).isFalse();
        assertThat(releases.applyDueSteps().await(30, TimeUnit.SECONDS)).as("asked again at the next check").isZero();

        healthy.set(true);
        assertThat(releases.applyDueSteps().await(30, TimeUnit.SECONDS)).isEqualTo(1);
        Deployment stepped = records.get("default", id).await(30, TimeUnit.SECONDS);
        assertThat(stepped.release().steps().get(0).appliedAt()).isNotNull();
        assertThat(stepped.release().steps().get(1).appliedAt()).as("the next step is not due for an hour").isNull();
        assertThat(stepped.release().percentage()).isEqualTo(10.0);
        assertThat(stepped.flags().get(0).on()).isTrue();
        assertThat(stepped.flags().get(0).percentage()).isEqualTo(10.0);

        assertThat(asked).hasSize(3).allSatisfy(step -> {
            assertThat(step.deployment()).isEqualTo(id);
            assertThat(step.project()).isEqualTo("default");
            assertThat(step.environment()).isEqualTo("production");
            assertThat(step.number()).isEqualTo(1);
            assertThat(step.of()).isEqualTo(2);
            assertThat(step.percentage()).isEqualTo(10.0);
        });
    }
}
