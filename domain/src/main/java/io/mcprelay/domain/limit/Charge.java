package io.mcprelay.domain.limit;

import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Tokens one message (or batch) takes from one bucket.
 *
 * @param kind   which limit the bucket enforces
 * @param bucket the bucket's name, unique across limits: {@code principal:session:<id>}, {@code tool:<name>},
 *               {@code global}; stores key buckets by it and by {@code limit} (a changed limit starts afresh)
 * @param limit  the bucket's shape
 * @param tokens how many tokens (one per request), at least 1
 * @param tool   the tool of a {@link LimitKind#PER_TOOL} charge
 */
public record Charge(LimitKind kind, String bucket, RateLimit limit, long tokens, Optional<String> tool) {

    public Charge {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(tool, "tool");
        if (tokens < 1) {
            throw new IllegalArgumentException("a charge takes at least 1 token, not " + tokens);
        }
    }

    /**
     * The refusal of a request this charge could not be taken for: 429 with {@code Retry-After}, and a
     * JSON-RPC error naming the limit (in its message and in {@code data.limit}, with {@code data.tool}
     * for a tool's limit).
     */
    public Rejection refusal(TokenGrant.Denied denied) {
        long seconds = denied.retryAfterSeconds();
        String named = tool.map(t -> kind.label() + " limit of tool " + t).orElse(kind.label() + " limit");
        String data = "{\"limit\":\"" + kind.label() + "\"" + tool.map(t -> ",\"tool\":" + jsonString(t)).orElse("")
                + ",\"rate\":\"" + limit.describe() + "\",\"retryAfterSeconds\":" + seconds + "}";
        return Rejection.of(RejectionReason.RATE_LIMITED, "Too Many Requests: the " + named + " (" + limit.describe()
                        + ") is exhausted; retry after " + seconds + " s")
                .withData(data).withRetryAfter(Duration.ofSeconds(seconds));
    }

    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
