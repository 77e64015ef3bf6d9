package io.mcprelay.application.service;

import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.spi.InterceptedMessage;
import io.mcprelay.application.spi.MessageInterceptor;
import io.mcprelay.domain.intercept.Decision;
import io.mcprelay.domain.intercept.Direction;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/** A code interceptor with its counters; one that throws is logged (now and then), counted, and passed by. */
final class GuardedInterceptor {

    private static final System.Logger LOG = System.getLogger(GuardedInterceptor.class.getName());
    /** A failing code interceptor is logged on its first failure and then once every this many. */
    static final long LOG_EVERY_FAILURES = 100;

    final MessageInterceptor interceptor;
    final String name;
    final Set<Direction> directions;
    final LongAdder acted = new LongAdder();
    final LongAdder failures = new LongAdder();
    private final RelayMetricsPort metrics;

    GuardedInterceptor(MessageInterceptor interceptor, RelayMetricsPort metrics) {
        this.interceptor = interceptor;
        this.metrics = metrics;
        this.name = interceptor.name();
        Set<Direction> wanted = interceptor.directions();
        this.directions = wanted.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(wanted));
    }

    boolean wants(Direction direction) {
        return directions.contains(direction);
    }

    Optional<Decision> decide(InterceptedMessage message) {
        try {
            return Optional.ofNullable(interceptor.intercept(message)).or(() -> {
                failed(new IllegalStateException("returned null instead of a Decision"));
                return Optional.empty();
            });
        } catch (RuntimeException | LinkageError e) {
            failed(e);
            return Optional.empty();
        }
    }

    void acted() {
        acted.increment();
    }

    void failed(Throwable e) {
        failures.increment();
        metrics.interceptorFailed(name);
        long count = failures.sum();
        if (count == 1 || count % LOG_EVERY_FAILURES == 0) {
            LOG.log(System.Logger.Level.WARNING, "code interceptor {0} failed ({1} failures so far; the message went on unchanged): {2}",
                    name, count, e.toString());
        }
    }
}
