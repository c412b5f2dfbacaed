package dev.darklaunch.server;

import dev.darklaunch.server.audit.AuditStore;
import dev.darklaunch.server.auth.Credentials;
import dev.darklaunch.server.auth.SessionStore;
import dev.darklaunch.server.auth.SignInThrottle;
import dev.darklaunch.server.auth.TokenStore;
import dev.darklaunch.server.auth.UserStore;
import dev.darklaunch.server.deployments.DeploymentStore;
import dev.darklaunch.server.documents.DocumentWrites;
import dev.darklaunch.server.deployments.ReleaseHolds;
import dev.darklaunch.server.feed.FeedStore;
import dev.darklaunch.server.feed.UsageStore;
import dev.darklaunch.server.flags.EnvironmentDataStore;
import dev.darklaunch.server.flags.FlagConfigStore;
import dev.darklaunch.server.flags.FlagStore;
import dev.darklaunch.server.flags.FlagUsageStore;
import dev.darklaunch.server.flags.FlagWrites;
import dev.darklaunch.server.flags.ManualChanges;
import dev.darklaunch.server.imports.ImportStore;
import dev.darklaunch.server.projects.ProjectStore;
import dev.darklaunch.server.segments.SegmentStore;
import dev.darklaunch.server.segments.SegmentWrites;
import dev.darklaunch.server.tracking.EventSumStore;
import dev.darklaunch.server.tracking.GuardSampleStore;
import dev.darklaunch.server.webhooks.WebhookStore;
import io.vertx.sqlclient.Pool;

import java.util.List;

/**
 * Every store of the server, each built once on the server's pool, and the writes of flags and
 * segments (rules and transactions; deployments run the flag writes in their own): the bottom of
 * the composition root. {@link DarklaunchServer} hands them to services and APIs; nothing else
 * builds a store.
 * The lower packages' hooks are filled in here, where every package is visible: a new environment
 * is seeded by flags and segments, and a person's change to a flag pauses its running releases.
 */
record Stores(ProjectStore projects, FlagStore flags, FlagWrites flagWrites, FlagUsageStore flagUsage, SegmentStore segments,
              SegmentWrites segmentWrites, EnvironmentDataStore environments,
              DeploymentStore deployments, ImportStore imports, DocumentWrites documents, AuditStore audit, TokenStore tokens, UserStore users,
              SessionStore sessions, Credentials credentials, SignInThrottle signIns, FeedStore feed, UsageStore usage,
              EventSumStore trackedEvents, WebhookStore webhooks) {

    static Stores on(Pool pool, Config config) {
        DeploymentStore deployments = new DeploymentStore();
        ReleaseHolds holds = new ReleaseHolds(deployments);
        FlagStore flags = new FlagStore(pool);
        SegmentStore segments = new SegmentStore(pool);
        ManualChanges manualChanges = (tx, actor, scope, changed, action) -> holds.pause(tx, actor, scope, changed, action, null, null);
        return new Stores(
                new ProjectStore(pool, List.of(flags::seedEnvironment, segments::seedEnvironment)),
                flags,
                new FlagWrites(pool, flags, new FlagConfigStore(), manualChanges),
                new FlagUsageStore(pool, config.clockOffset()),
                segments,
                new SegmentWrites(pool, segments),
                new EnvironmentDataStore(pool),
                deployments,
                new ImportStore(pool),
                new DocumentWrites(pool, manualChanges),
                new AuditStore(pool),
                new TokenStore(pool),
                new UserStore(pool),
                new SessionStore(pool, config.sessions()),
                new Credentials(pool, config.sessions()),
                new SignInThrottle(pool),
                new FeedStore(pool),
                new UsageStore(pool, new GuardSampleStore()),
                new EventSumStore(pool),
                new WebhookStore(pool));
    }
}
