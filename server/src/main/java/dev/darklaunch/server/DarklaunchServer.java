package dev.darklaunch.server;

import dev.darklaunch.server.audit.AuditApi;
import dev.darklaunch.server.audit.ProjectEvents;
import dev.darklaunch.server.audit.ProjectEventsApi;
import dev.darklaunch.server.auth.Authenticator;
import dev.darklaunch.server.auth.ClientOrigins;
import dev.darklaunch.server.auth.Passwords;
import dev.darklaunch.server.auth.SessionsApi;
import dev.darklaunch.server.auth.TokensApi;
import dev.darklaunch.server.deployments.DeploymentRecords;
import dev.darklaunch.server.deployments.DeploymentsApi;
import dev.darklaunch.server.deployments.ReleaseScheduler;
import dev.darklaunch.server.deployments.Signals;
import dev.darklaunch.server.deployments.SignalsApi;
import dev.darklaunch.server.deployments.Releases;
import dev.darklaunch.server.deployments.StepCondition;
import dev.darklaunch.server.deployments.Timeline;
import dev.darklaunch.server.deployments.TimelineApi;
import dev.darklaunch.server.auth.UsersApi;
import dev.darklaunch.server.evaluation.EvaluateApi;
import dev.darklaunch.server.feed.Feed;
import dev.darklaunch.server.feed.PostgresChangeSource;
import dev.darklaunch.server.feed.SdkFeedApi;
import dev.darklaunch.server.tracking.TrackedEventsApi;
import dev.darklaunch.server.flags.FlagsApi;
import dev.darklaunch.server.http.ApiRouter;
import dev.darklaunch.server.http.ClientConnections;
import dev.darklaunch.server.http.HttpVerticle;
import dev.darklaunch.server.imports.ImportsApi;
import dev.darklaunch.server.documents.DocumentsApi;
import dev.darklaunch.server.ofrep.OfrepApi;
import dev.darklaunch.server.ops.ApiDocument;
import dev.darklaunch.server.ops.Health;
import dev.darklaunch.server.ops.Metrics;
import dev.darklaunch.server.projects.Environment;
import dev.darklaunch.server.projects.ProjectsApi;
import dev.darklaunch.server.segments.SegmentsApi;
import dev.darklaunch.server.store.DatabaseUrl;
import dev.darklaunch.server.store.DeadlinePool;
import dev.darklaunch.server.store.EmbeddedDatabase;
import dev.darklaunch.server.store.Migrations;
import dev.darklaunch.server.ui.AdminUi;
import dev.darklaunch.server.webhooks.Webhooks;
import dev.darklaunch.server.webhooks.WebhooksApi;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running Darklaunch server: database (external or embedded), migrations, first-start setup,
 * HTTP. {@link #start} is one flat chain; {@link #close} stops accepting requests, lets running
 * ones finish, then releases the database.
 */
public final class DarklaunchServer {

    private static final Logger log = LoggerFactory.getLogger(DarklaunchServer.class);
    /** How often each instance looks for release steps that are due: the precision of a release plan. */
    private static final java.time.Duration RELEASE_CHECK_INTERVAL = java.time.Duration.ofSeconds(1);
    private static final java.time.Duration STARTUP_CONNECTION_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final Vertx vertx;
    private final Metrics metrics;
    private final AtomicBoolean started = new AtomicBoolean();
    private EmbeddedDatabase embedded;
    private DatabaseUrl databaseUrl;
    /** Every use bounded by the database timeout once started; what requests, the feed and the scheduler use. */
    private DeadlinePool pool;
    /** The same connections without the client-side deadline: for start-up, which waits as long as it takes. */
    private Pool unbounded;
    /** The HTTP server verticles, undeployed (gracefully) on close. */
    private final List<String> verticles = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int httpPort;
    private Router router;
    private Bootstrap.AdminToken adminToken;
    private Bootstrap.AdminUser adminUser;
    private Passwords passwords;
    /** Built once the database is open; everything below gets its stores from here. */
    private Stores stores;
    private Authenticator authenticator;
    private Feed feed;
    private PostgresChangeSource changes;
    private ReleaseScheduler releases;
    private ProjectEvents projectEvents;
    private Webhooks webhooks;
    private AdminUi adminUi;
    /** Set once the HTTP routes are built; read by the change source's revocation callback. */
    private volatile OfrepApi ofrep;

    private DarklaunchServer(Vertx vertx, Metrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
    }

    public static Future<DarklaunchServer> start(Config config) {
        Metrics metrics = new Metrics();
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
                        .setEnabled(true)
                        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE,
                                Label.POOL_NAME))))
                .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
                .build();
        DarklaunchServer server = new DarklaunchServer(vertx, metrics);
        server.passwords = new Passwords(vertx);
        return server.openDatabase(config)
                .compose(v -> Bootstrap.run(server.unbounded, config, server.passwords))
                .compose(bootstrapped -> {
                    server.adminToken = bootstrapped.token();
                    server.adminUser = bootstrapped.user();
                    server.passwords.prepare(); // in the background: start-up need not wait for it
                    return server.startFeed(config);
                })
                .compose(v -> server.listen(config))
                .map(v -> {
                    server.pool.enforceDeadline();
                    server.started.set(true);
                    return server;
                })
                .onFailure(e -> server.close());
    }

    /** The port the server listens on (useful when started on port 0). */
    public int port() {
        return httpPort;
    }

    /** The admin token generated by this start, if one was: shown once, never again. */
    public Optional<String> generatedAdminToken() {
        return adminToken.generatedSecret();
    }

    boolean adminTokenFromEnvironment() {
        return adminToken.fromEnvironment();
    }

    /** Whether this server serves the admin UI at / (builds with -DskipUi do not). */
    public boolean servesAdminUi() {
        return adminUi != null && adminUi.built();
    }

    /** The password of the admin UI user {@code admin} generated by this start, if one was: shown once, never again. */
    public Optional<String> generatedAdminPassword() {
        return adminUser.generatedPassword();
    }

    boolean adminPasswordFromEnvironment() {
        return adminUser.fromEnvironment();
    }

    public String databaseDescription() {
        return (embedded != null ? "embedded PostgreSQL at " : "PostgreSQL at ") + databaseUrl.describe();
    }

    public Vertx vertx() {
        return vertx;
    }

    /**
     * The SDK feed's memory on this instance: what every environment serves its SDKs right now.
     * Tests read it, and seed it with data no write path produces yet (a flag marked guarded).
     */
    public Feed feed() {
        return feed;
    }

    /**
     * Every routed "METHOD /path/{param}", as the API document must describe them; HEAD, which
     * every GET route answers alike, is left out.
     */
    public List<String> routes() {
        return router.getRoutes().stream()
                .filter(route -> route.getPath() != null && route.methods() != null && !route.methods().isEmpty())
                .flatMap(route -> route.methods().stream().filter(method -> method != io.vertx.core.http.HttpMethod.HEAD)
                        .map(method -> method.name() + " " + route.getPath().replaceAll(":([A-Za-z]+)", "{$1}")))
                .toList();
    }

    /**
     * Stops accepting requests, lets running ones finish (up to a grace period), releases the
     * database and Vert.x. Call it from outside Vert.x (a shutdown hook, a test).
     */
    public Future<Void> close() {
        started.set(false);
        Promise<Void> closed = Promise.promise();
        if (releases != null) {
            releases.close();
        }
        if (feed != null) {
            feed.close(); // streams would otherwise hold the shutdown for its whole grace period
        }
        if (ofrep != null) {
            ofrep.close();
        }
        if (projectEvents != null) {
            projectEvents.close();
        }
        Future<Void> stopWebhooks = webhooks == null ? Future.succeededFuture() : webhooks.close();
        Future<Void> stopChanges = changes == null ? Future.succeededFuture() : changes.close();
        Future<Void> stopHttp = Future.join(verticles.stream().map(vertx::undeploy).toList()).mapEmpty();
        Future.join(stopChanges, stopHttp, stopWebhooks).<Void>mapEmpty()
                .eventually(() -> unbounded == null ? Future.succeededFuture() : unbounded.close())
                .eventually(() -> vertx.executeBlocking(() -> {
                    if (passwords != null) {
                        passwords.close();
                    }
                    if (embedded != null) {
                        embedded.close();
                    }
                    metrics.close();
                    return null;
                }))
                // Vert.x is closed from a thread of its own: closed from one of its event loops, its
                // future would complete on that loop after it terminated, and never be seen
                .onComplete(done -> new Thread(() -> vertx.close().onComplete(closed), "darklaunch-close").start());
        return closed.future();
    }

    private Future<Void> openDatabase(Config config) {
        return vertx.executeBlocking(() -> {
            if (config.databaseUrl().isPresent()) {
                databaseUrl = DatabaseUrl.parse(config.databaseUrl().get());
            } else {
                embedded = EmbeddedDatabase.start(config.dataDir());
                databaseUrl = embedded.url();
            }
            int applied = Migrations.apply(databaseUrl);
            log.atInfo().addKeyValue("database", databaseUrl.describe()).addKeyValue("migrationsApplied", applied)
                    .log("database ready");
            return null;
        }).map(v -> {
            long timeout = config.database().timeout().toMillis();
            unbounded = PgBuilder.pool()
                    .with(new PoolOptions()
                            .setMaxSize(16)
                            .setName("darklaunch")
                            // waiting for a connection counts towards each use's deadline (DeadlinePool);
                            // this generous bound is for start-up, which waits as long as it takes
                            .setConnectionTimeout((int) Math.max(timeout, STARTUP_CONNECTION_TIMEOUT.toMillis()))
                            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                            .setIdleTimeout(5)
                            .setIdleTimeoutUnit(TimeUnit.MINUTES))
                    .with(new NetClientOptions()
                            .setConnectTimeout((int) Math.min(timeout, 2_000))
                            .setTcpKeepAlive(true))
                    .connectingTo(boundedByServer(new PgConnectOptions(databaseUrl.options()).setReconnectAttempts(0)
                            // each connection prepares a statement once and then only executes it: one round
                            // trip per statement instead of two (prepare, execute); the writes' single
                            // statements are long, hence the limit
                            .setCachePreparedStatements(true).setPreparedStatementCacheSqlLimit(16_384), timeout))
                    .using(vertx)
                    .build();
            pool = new DeadlinePool(vertx, unbounded, config.database().timeout());
            stores = Stores.on(pool, config);
            return null;
        });
    }

    /**
     * PostgreSQL's own limits, as the pool's connections start: a statement (a lock wait included)
     * that outlives the deadline is cancelled, so it stops holding locks once nobody waits for its
     * answer, and a transaction left open by a client that vanished is ended. The client-side
     * deadline ({@link DeadlinePool}) covers what these cannot: a server that does not run at all.
     */
    private static PgConnectOptions boundedByServer(PgConnectOptions options, long timeoutMillis) {
        options.addProperty("statement_timeout", Long.toString(timeoutMillis));
        options.addProperty("idle_in_transaction_session_timeout", Long.toString(2 * timeoutMillis));
        return options;
    }

    /** Loads every environment into memory and follows the database's changes from then on. */
    private Future<Void> startFeed(Config config) {
        authenticator = new Authenticator(stores.tokens(), stores.sessions());
        feed = new Feed(vertx, config.feed(), metrics.registry(), metrics.perEnvironment());
        changes = new PostgresChangeSource(vertx, stores.feed(), stores.environments(),
                new PgConnectOptions(databaseUrl.options()), config.feed().reconcileInterval(), tokenId -> {
                    authenticator.invalidateAll();
                    OfrepApi evaluation = ofrep;
                    if (evaluation != null) {
                        evaluation.tokenRevoked(tokenId);
                    }
                });
        projectEvents = new ProjectEvents(vertx, stores.audit(), stores.credentials(),
                new PgConnectOptions(databaseUrl.options()), config.feed().heartbeat());
        return changes.start(feed).compose(v -> projectEvents.start());
    }

    /** The environment keys of a project, in order: what token scopes are checked against. */
    private Future<List<String>> environmentKeys(String project) {
        return stores.projects().get(project).map(found -> found.environments().stream().map(Environment::key).toList());
    }

    private Future<Void> listen(Config config) {
        int port = config.port();
        adminUi = new AdminUi();
        Releases deploymentReleases = new Releases(pool, stores.deployments(), stores.flagWrites(), StepCondition.ALWAYS);
        DeploymentRecords deployments = new DeploymentRecords(pool, stores.deployments(), stores.flagWrites(), deploymentReleases);
        releases = new ReleaseScheduler(vertx, deploymentReleases, RELEASE_CHECK_INTERVAL);
        SessionsApi sessionsApi = new SessionsApi(stores.sessions(), stores.users(), passwords, stores.signIns(),
                config.http().clients());
        Metrics registry = metrics;
        ClientOrigins clientOrigins = new ClientOrigins(stores.tokens());
        ofrep = new OfrepApi(vertx, feed, config.feed(), clientOrigins);
        webhooks = new Webhooks(vertx, stores.webhooks(), config.webhooks(), databaseUrl.options().getHost(),
                databaseUrl.options().getPort());
        webhooks.start();
        router = ApiRouter.create(vertx,
                List.of(new Health(pool, started::get)::mount, registry::mount, new ApiDocument()::mount,
                        sessionsApi::mountPublic, adminUi::mount, ofrep::mountPublic),
                authenticator,
                Authenticator::requireApiToken,
                List.of(new ProjectsApi(stores.projects())::mount,
                        new FlagsApi(stores.flagWrites(), stores.flags(), stores.flagUsage())::mount,
                        new SegmentsApi(stores.segmentWrites(), stores.segments())::mount,
                        new ImportsApi(stores.imports())::mount,
                        new DocumentsApi(stores.documents())::mount,
                        new AuditApi(stores.audit(), stores.projects())::mount,
                        new DeploymentsApi(deployments, deploymentReleases)::mount,
                        new SignalsApi(new Signals(pool, stores.deployments(), deploymentReleases), deployments)::mount,
                        new TimelineApi(new Timeline(stores.projects(), stores.audit(), deployments))::mount,
                        new TrackedEventsApi(stores.projects(), stores.trackedEvents())::mount,
                        new ProjectEventsApi(projectEvents, stores.projects())::mount,
                        new EvaluateApi(stores.environments())::mount,
                        registry::mountForAdmins,
                        new TokensApi(stores.tokens(), this::environmentKeys, authenticator, clientOrigins)::mount,
                        sessionsApi::mount,
                        new UsersApi(stores.users(), passwords)::mount,
                        new SdkFeedApi(feed, stores.usage(), metrics.registry())::mount,
                        new WebhooksApi(webhooks)::mount,
                        ofrep::mount));
        HttpServerOptions options = new HttpServerOptions()
                .setIdleTimeout((int) config.http().idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxHeaderSize(16 * 1024)
                .setCompressionSupported(true)
                // HTTP/1.1 only on plain connections: with cleartext HTTP/2 allowed, Vert.x waits for a
                // connection's first bytes to tell the protocols apart before announcing it, so a client
                // that sends nothing would escape the request-head deadline and the per-address limit
                .setHttp2ClearTextEnabled(false);
        ClientConnections connections = new ClientConnections(config.http());
        // one instance per core, all on one port; for "any free port" a negative port makes Vert.x
        // pick one and share it among the instances (port 0 would give each its own)
        int shared = port == 0 ? -1 : port;
        List<HttpVerticle> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
        return vertx.deployVerticle(() -> {
                    HttpVerticle verticle = new HttpVerticle(router, options, shared, connections);
                    instances.add(verticle);
                    return verticle;
                }, new DeploymentOptions().setInstances(Math.max(1, Runtime.getRuntime().availableProcessors())))
                .map(id -> {
                    verticles.add(id);
                    httpPort = instances.get(0).actualPort();
                    return null;
                });
    }
}
