package io.mcprelay.adapter.http.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * Micrometer's JVM memory, thread, GC, CPU and uptime meters ({@code jvm_*}, {@code process_*},
 * {@code system_*}) of a {@link MicrometerMetricsAdapter}, bound once, late (binding them, the JVM's
 * management beans and GC listeners, took some 4 % of the relay's start-up CPU time), and released
 * with the registry (the GC listeners). Thread-safe: a bind while another binds waits for it.
 */
final class JvmMeters {

    private final MeterRegistry registry;
    private boolean bound;
    private boolean closed;
    /** Micrometer's GC listeners, once bound; released by {@link #close()}. */
    private JvmGcMetrics gc;

    JvmMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Binds the meters, once; later calls, and calls after {@link #close()}, do nothing. */
    synchronized void bind() {
        if (bound || closed) {
            return;
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        bound = true;
    }

    /** Releases the GC listeners; nothing is bound after it. */
    synchronized void close() {
        closed = true;
        if (gc != null) {
            gc.close();
        }
    }
}
