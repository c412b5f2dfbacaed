package dev.darklaunch.server.store;

import dev.darklaunch.server.store.DatabaseTimeoutException.Stage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.TransactionPropagation;
import io.vertx.sqlclient.TransactionRollbackException;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.internal.SqlConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collector;

/**
 * The connection pool, with a deadline on every use: a query, or a whole transaction, that the
 * database has not answered in time (waiting for a connection included) fails with
 * {@link DatabaseTimeoutException}, and its connection is closed rather than returned to the pool.
 *
 * <p>Why a client-side deadline: a database that stalls — a stopped process, a network path that
 * drops packets, a proxy that stops forwarding — neither answers nor closes the connection, so
 * every request would wait as long as the stall lasts, and PostgreSQL's own
 * {@code statement_timeout} cannot help, since the stalled server runs no clock. Closing the
 * connection (not just giving up on it) matters too: back in the pool it would make the next
 * request wait behind the unanswered query.
 *
 * <p>Start-up waits as long as it takes (loading large environments on a busy machine may take a
 * while, and a server that gives up then does not start at all): the deadline applies from
 * {@link #enforceDeadline()} on, called once the server is ready to serve.
 */
public final class DeadlinePool implements Pool {

    private static final Logger log = LoggerFactory.getLogger(DeadlinePool.class);

    private final Vertx vertx;
    private final Pool pool;
    private final Duration deadline;
    private volatile boolean enforced;

    public DeadlinePool(Vertx vertx, Pool pool, Duration deadline) {
        this.vertx = vertx;
        this.pool = pool;
        this.deadline = deadline;
    }

    /** From now on, every use has the deadline. */
    public void enforceDeadline() {
        enforced = true;
    }

    @Override
    public Future<SqlConnection> getConnection() {
        return pool.getConnection(); // bounded by the pool's own connection timeout; the caller owns it from then on
    }

    @Override
    public Query<RowSet<Row>> query(String sql) {
        return new BoundedQuery<>(client -> client.query(sql));
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
        return new BoundedPreparedQuery<>(client -> client.preparedQuery(sql));
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
        return new BoundedPreparedQuery<>(client -> client.preparedQuery(sql, options));
    }

    @Override
    public <T> Future<T> withConnection(Function<SqlConnection, Future<T>> function) {
        if (!enforced) {
            return pool.withConnection(function);
        }
        return use(Stage.STATEMENT, (connection, use) -> function.apply(connection));
    }

    /**
     * A transaction whose begin, statements and commit together finish within the deadline. A
     * commit whose answer is lost with the connection fails with {@link CommitInDoubtException}.
     */
    @Override
    public <T> Future<T> withTransaction(Function<SqlConnection, Future<T>> function) {
        if (!enforced) {
            return pool.withTransaction(function);
        }
        return use(Stage.BEFORE_COMMIT, (connection, use) -> connection.begin()
                .compose(tx -> function.apply(connection).compose(
                        result -> {
                            use.committing();
                            return tx.commit().transform(committed -> committed.succeeded() ? Future.succeededFuture(result)
                                    : Future.failedFuture(CommitInDoubtException.inDoubt(committed.cause())
                                    ? new CommitInDoubtException(committed.cause()) : committed.cause()));
                        },
                        failure -> failure instanceof TransactionRollbackException ? Future.failedFuture(failure)
                                : tx.rollback().transform(rolledBack -> Future.failedFuture(failure)))));
    }

    @Override
    public <T> Future<T> withTransaction(TransactionPropagation propagation, Function<SqlConnection, Future<T>> function) {
        if (propagation != TransactionPropagation.NONE) {
            throw new UnsupportedOperationException("transactions are passed explicitly here, not through the context");
        }
        return withTransaction(function);
    }

    @Override
    public int size() {
        return pool.size();
    }

    @Override
    public Future<Void> close() {
        return pool.close();
    }

    /** Work on one connection, given the {@link Use} so a transaction can say when it commits. */
    private interface Work<T> {
        Future<T> apply(SqlConnection connection, Use use);
    }

    /** One use of a pooled connection, and whether its deadline passed. */
    private static final class Use {
        private SqlConnection connection;
        private boolean expired;
        private volatile Stage stage;

        Use(Stage stage) {
            this.stage = stage;
        }

        void committing() {
            stage = Stage.COMMITTING;
        }

        /** @return false if the deadline passed while the connection was awaited */
        synchronized boolean take(SqlConnection taken) {
            connection = taken;
            return !expired;
        }

        /** The deadline passed: the connection, if the work has one, is dropped. */
        void expire() {
            SqlConnection taken;
            synchronized (this) {
                expired = true;
                taken = connection;
            }
            if (taken != null) {
                abort(taken);
            }
        }
    }

    private <T> Future<T> use(Stage stage, Work<T> work) {
        Promise<T> result = Promise.promise();
        Use use = new Use(stage);
        long timer = vertx.setTimer(deadline.toMillis(), id -> {
            if (result.tryFail(new DatabaseTimeoutException(deadline, use.stage))) {
                use.expire();
            }
        });
        pool.getConnection().onComplete(acquired -> {
            if (acquired.failed()) {
                vertx.cancelTimer(timer);
                result.tryFail(acquired.cause());
                return;
            }
            SqlConnection connection = acquired.result();
            if (!use.take(connection)) {
                connection.close(); // came too late to be used: back to the pool, untouched
                return;
            }
            Future<T> done;
            try {
                done = work.apply(connection, use);
            } catch (RuntimeException e) {
                done = Future.failedFuture(e);
            }
            done.onComplete(outcome -> {
                vertx.cancelTimer(timer);
                connection.close(); // back to the pool; one the deadline dropped leaves it
                if (outcome.succeeded()) {
                    result.tryComplete(outcome.result());
                } else {
                    result.tryFail(outcome.cause());
                }
            });
        });
        return result.future();
    }

    /**
     * Closes the connection's socket, so that the pool drops it and its unanswered query fails.
     * The SQL client has no public way to close a pooled connection for good ({@code close()}
     * returns it to the pool), hence its internal types; DatabaseStallIT checks that this works.
     */
    private static void abort(SqlConnection connection) {
        if (connection instanceof SqlConnectionBase<?> base && base.unwrap().unwrap() instanceof SocketConnectionBase socket) {
            socket.socket().close();
        } else {
            log.atWarn().addKeyValue("connection", connection.getClass().getName())
                    .log("cannot drop a database connection that did not answer in time; returning it to the pool");
            connection.close();
        }
    }

    /** A query run on a connection of its own within the deadline; the SQL client's query types are interfaces for this. */
    private final class BoundedQuery<T> implements Query<T> {
        private final Function<SqlClient, Query<T>> query;

        BoundedQuery(Function<SqlClient, Query<T>> query) {
            this.query = query;
        }

        @Override
        public Future<T> execute() {
            return withConnection(connection -> query.apply(connection).execute());
        }

        @Override
        public <R> Query<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
            return new BoundedQuery<>(client -> query.apply(client).collecting(collector));
        }

        @Override
        public <U> Query<RowSet<U>> mapping(Function<Row, U> mapper) {
            return new BoundedQuery<>(client -> query.apply(client).mapping(mapper));
        }
    }

    private final class BoundedPreparedQuery<T> implements PreparedQuery<T> {
        private final Function<SqlClient, PreparedQuery<T>> query;

        BoundedPreparedQuery(Function<SqlClient, PreparedQuery<T>> query) {
            this.query = query;
        }

        @Override
        public Future<T> execute() {
            return withConnection(connection -> query.apply(connection).execute());
        }

        @Override
        public Future<T> execute(Tuple tuple) {
            return withConnection(connection -> query.apply(connection).execute(tuple));
        }

        @Override
        public Future<T> executeBatch(List<Tuple> batch) {
            return withConnection(connection -> query.apply(connection).executeBatch(batch));
        }

        @Override
        public <R> PreparedQuery<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
            return new BoundedPreparedQuery<>(client -> query.apply(client).collecting(collector));
        }

        @Override
        public <U> PreparedQuery<RowSet<U>> mapping(Function<Row, U> mapper) {
            return new BoundedPreparedQuery<>(client -> query.apply(client).mapping(mapper));
        }
    }
}
