package io.mcprelay.domain.routing;

import io.mcprelay.domain.era.UpstreamEra;
import java.util.Objects;

/**
 * The static, configured properties of one upstream: where it is, its share of new sessions, and
 * whether an operator has switched it on.
 *
 * <p>{@code weight} is a relative share in {@value #MIN_WEIGHT}..{@value #MAX_WEIGHT}; it defaults to
 * {@value #DEFAULT_WEIGHT} (all upstreams equal). {@code enabled} defaults to {@code true}; a disabled
 * upstream keeps the sessions it already holds but gets no new ones.
 */
public record UpstreamSpec(UpstreamTarget target, int weight, boolean enabled, UpstreamEra era) {

    /** The smallest weight: {@value}. */
    public static final int MIN_WEIGHT = 1;
    /** The largest weight: {@value}. */
    public static final int MAX_WEIGHT = 1000;
    /** The default weight: {@value}. */
    public static final int DEFAULT_WEIGHT = 1;

    public UpstreamSpec {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(era, "era");
        if (weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("upstream " + target.name() + ": weight must be in "
                    + MIN_WEIGHT + ".." + MAX_WEIGHT + ", not " + weight);
        }
    }

    /** An upstream whose eras are probed ({@link UpstreamEra#AUTO}). */
    public UpstreamSpec(UpstreamTarget target, int weight, boolean enabled) {
        this(target, weight, enabled, UpstreamEra.AUTO);
    }

    /** {@code target} with the default weight ({@value #DEFAULT_WEIGHT}), enabled. */
    public static UpstreamSpec of(UpstreamTarget target) {
        return new UpstreamSpec(target, DEFAULT_WEIGHT, true);
    }

    /** The same upstream with weight {@code newWeight}. */
    public UpstreamSpec withWeight(int newWeight) {
        return new UpstreamSpec(target, newWeight, enabled, era);
    }

    /** The same upstream, enabled or disabled. */
    public UpstreamSpec withEnabled(boolean nowEnabled) {
        return new UpstreamSpec(target, weight, nowEnabled, era);
    }

    /** The same upstream, configured to serve {@code newEra}. */
    public UpstreamSpec withEra(UpstreamEra newEra) {
        return new UpstreamSpec(target, weight, enabled, newEra);
    }

    /** The upstream's name, unique among the configured upstreams. */
    public String name() {
        return target.name();
    }
}
