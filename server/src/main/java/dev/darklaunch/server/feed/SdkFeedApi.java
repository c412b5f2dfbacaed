package dev.darklaunch.server.feed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.darklaunch.server.auth.Caller;
import dev.darklaunch.server.auth.Token;
import dev.darklaunch.server.failures.Failure;
import dev.darklaunch.server.http.EventStreamResponse;
import dev.darklaunch.server.http.JsonBody;
import dev.darklaunch.server.http.Times;
import dev.darklaunch.server.http.Versions;
import dev.darklaunch.sdk.internal.model.EnvironmentData;
import dev.darklaunch.sdk.internal.model.EnvironmentFlag;
import dev.darklaunch.server.tracking.EventSum;
import dev.darklaunch.server.tracking.GuardSample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /sdk/v1}: the SDK feed, as docs/sdk-feed.md describes it. SDK tokens only; each reads the
 * one environment it belongs to. Flags and stream are served from the {@link Feed}'s memory.
 */
public final class SdkFeedApi {

    /**
     * Body of POST /sdk/v1/metrics: counts per flag and served variation index over a period,
     * optionally the sums of tracked events per name and minute (SDKs from before tracked events
     * send none), and optionally what the SDK measured per variation of the flags a guarded
     * release watches (SDKs from before guards send none). The counts are read as JSON values and
     * checked here, so that a fraction or a number beyond any count gets a message about counts
     * rather than about Java's number types.
     */
    public record EvaluationReport(String start, String end, Map<String, Map<String, JsonNode>> flags,
                                   List<EventSum.Reported> events, List<GuardSample.Reported> guards) {
    }

    private static final int MAX_FLAG_KEY_LENGTH = 256;

    private final Feed feed;
    private final UsageStore usage;
    /** Guard samples left out, by why: they could never decide anything, but a steady stream of them says something is off. */
    private final Map<String, Counter> samplesIgnored = new HashMap<>();

    public SdkFeedApi(Feed feed, UsageStore usage, MeterRegistry registry) {
        this.feed = feed;
        this.usage = usage;
        for (String reason : List.of("unknown-flag", "not-guarded", "no-such-variation")) {
            samplesIgnored.put(reason, Counter.builder("darklaunch.guards.samples.ignored")
                    .description("guard samples from SDKs left out: for a flag the environment does not have, one no "
                            + "guarded release watches (any more), or a variation the flag does not have")
                    .tag("reason", reason).register(registry));
        }
    }

    public void mount(Router router) {
        router.route("/sdk/*").handler(SdkFeedApi::requireSdkToken);
        router.get("/sdk/v1/flags").handler(this::flags);
        router.get("/sdk/v1/stream").handler(this::stream);
        router.post("/sdk/v1/metrics").handler(this::metrics);
    }

    private static void requireSdkToken(RoutingContext ctx) {
        if (!Caller.of(ctx).isSdkToken()) {
            ctx.fail(Failure.forbidden("only SDK tokens read the SDK feed; create one with kind 'sdk' for the environment"));
        } else {
            ctx.next();
        }
    }

    private void flags(RoutingContext ctx) {
        Snapshot snapshot = feed.current(environment(ctx)).orElseThrow(SdkFeedApi::notLoaded);
        ctx.response().putHeader("ETag", snapshot.etag());
        if (Versions.noneMatchHits(ctx.request().getHeader("If-None-Match"), snapshot.etag())) {
            ctx.response().setStatusCode(304).end();
            return;
        }
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(snapshot.json());
    }

    private void stream(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.HEAD) {
            feed.current(environment(ctx)).orElseThrow(SdkFeedApi::notLoaded);
            EventStreamResponse.answerHead(ctx.response());
            return;
        }
        feed.openStream(ctx.response(), environment(ctx), Caller.of(ctx).token().id(), ctx.request().getHeader("Last-Event-ID"));
    }

    private void metrics(RoutingContext ctx) {
        EvaluationReport report = JsonBody.read(ctx, EvaluationReport.class).value();
        if (report.flags() == null) {
            throw Failure.invalid("flags", "flags is required: counts per flag and variation index");
        }
        OffsetDateTime start = report.start() == null ? null : Times.parse("start", report.start());
        OffsetDateTime end = report.end() == null ? null : Times.parse("end", report.end());
        if (start != null && end != null && end.isBefore(start)) {
            throw Failure.invalid("end", "end must not be before start");
        }
        Map<String, Long> totals = new LinkedHashMap<>();
        report.flags().forEach((flag, counts) -> {
            if (flag.isEmpty() || flag.length() > MAX_FLAG_KEY_LENGTH) {
                throw Failure.invalid("flags", "flag keys must have 1 to " + MAX_FLAG_KEY_LENGTH + " characters");
            }
            if (counts == null) {
                throw Failure.invalid("flags." + flag, "give counts per variation index, such as {\"0\": 12}");
            }
            long total = 0;
            for (Map.Entry<String, JsonNode> count : counts.entrySet()) {
                String field = "flags." + flag + "." + count.getKey();
                if (!count.getKey().matches("-1|0|[1-9][0-9]{0,8}")) {
                    throw Failure.invalid(field, "variation indexes are numbers from -1 (the caller's default was served) up");
                }
                total = saturatedAdd(total, count(field, count.getValue()));
            }
            totals.put(flag, total);
        });
        List<EventSum> events = EventSum.parse(report.events());
        List<GuardSample> guarded = GuardSample.parse(report.guards());
        EnvironmentKey environment = environment(ctx);
        if (!guarded.isEmpty()) {
            // what the token's own environment serves right now decides which samples count: nothing
            // else can be written, so a token cannot feed another environment's guards
            guarded = watched(feed.data(environment).orElseThrow(SdkFeedApi::notLoaded), guarded);
        }
        usage.record(environment, totals, events, guarded)
                .onSuccess(v -> ctx.response().setStatusCode(202).end())
                .onFailure(ctx::fail);
    }

    /**
     * The samples of flags a guarded release watches in {@code data}, for variations they have;
     * the rest are left out and counted. A sample of a flag whose guard just ended (or began on
     * another instance a moment ago) is left out rather than refused: the SDK's data may be a
     * moment behind or ahead of this instance's, and it cannot help resending.
     */
    private List<GuardSample> watched(EnvironmentData data, List<GuardSample> samples) {
        Map<String, EnvironmentFlag> flags = new HashMap<>();
        data.flags().forEach(flag -> flags.put(flag.flag().key(), flag));
        List<GuardSample> kept = new ArrayList<>();
        for (GuardSample sample : samples) {
            EnvironmentFlag flag = flags.get(sample.flag());
            String ignored = flag == null ? "unknown-flag"
                    : !flag.guarded() ? "not-guarded"
                    : sample.variation() >= flag.flag().variations().size() ? "no-such-variation"
                    : null;
            if (ignored == null) {
                kept.add(sample);
            } else {
                samplesIgnored.get(ignored).increment();
            }
        }
        return kept;
    }

    /** A count: a whole number from 0 to the largest the usage table holds. */
    private static long count(String field, JsonNode value) {
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw Failure.invalid(field, "counts are whole numbers from 0 to " + Long.MAX_VALUE);
        }
        return value.longValue();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static EnvironmentKey environment(RoutingContext ctx) {
        Token token = Caller.of(ctx).token();
        return new EnvironmentKey(token.project(), token.environments().get(0));
    }

    private static Failure notLoaded() {
        return Failure.unavailable("this environment's data is not loaded on this server yet; retry shortly");
    }
}
