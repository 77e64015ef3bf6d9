package io.mcprelay.adapter.http.out;

import io.mcprelay.application.port.out.UpstreamProbePort.Result;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One health probe of an HTTP upstream, for both HTTP clients' probes: the probe runs on a virtual
 * thread that is interrupted (closing its socket) if it is not done shortly after its timeout, so a
 * server that dribbles its answer cannot hold the prober. Never throws for an unhealthy upstream.
 */
final class ProbeRun {

    /** How much longer than its timeout a probe may take before it is abandoned. */
    static final Duration GRACE = Duration.ofMillis(250);

    /** What a probe does with the endpoint: one GET, its head read, the connection closed. */
    @FunctionalInterface
    interface Probe {
        Result call(URI endpoint) throws Exception;
    }

    private ProbeRun() {
    }

    static Result run(UpstreamTarget target, Duration timeout, Probe probe) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a probe needs a positive timeout");
        }
        URI endpoint;
        try {
            endpoint = new HttpRequest(target, HttpRequest.Method.GET, java.util.Map.of(), java.util.Optional.empty(), new byte[0]).endpoint();
        } catch (IllegalArgumentException e) {
            return new Result(false, e.getMessage());
        }
        Callable<Result> call = () -> probe.call(endpoint);
        FutureTask<Result> task = new FutureTask<>(call);
        Thread prober = Thread.ofVirtual().name("upstream-probe-" + target.name()).start(task);
        try {
            return task.get(timeout.plus(GRACE).toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            prober.interrupt();
            return new Result(false, "no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            prober.interrupt();
            Thread.currentThread().interrupt();
            return new Result(false, "probe interrupted");
        } catch (ExecutionException e) {
            return unhealthy(e.getCause());
        }
    }

    /** A final status below 500 is an answer; 1xx, 5xx and numbers that are no HTTP status are not. */
    static Result ofStatus(int status) {
        return new Result(status >= 200 && status < 500, "HTTP " + status);
    }

    static Result unhealthy(Throwable failure) {
        return new Result(false, UpstreamFailures.causeOf(failure) + ": " + UpstreamFailures.describe(failure));
    }
}
