package io.mcprelay.application.service;

import io.mcprelay.application.port.in.InterceptorStatusQuery;
import io.mcprelay.application.port.in.ReplaceRulesUseCase;
import io.mcprelay.application.port.out.InterceptorStatus;
import io.mcprelay.application.port.out.JsonEditPort;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.spi.InterceptedMessage;
import io.mcprelay.application.spi.MessageInterceptor;
import io.mcprelay.domain.intercept.Decision;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.intercept.InterceptRule;
import io.mcprelay.domain.intercept.MessageFacts;
import io.mcprelay.domain.intercept.RuleAction;
import io.mcprelay.domain.intercept.RuleSet;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.RequestId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The interceptor chain (BRIEF §8): for one message, the configured rules in their order, then the
 * code interceptors in theirs, each seeing the message as the one before left it. A rule or
 * interceptor that blocks, mocks or drops ends the chain; a modification goes on to the next one; a
 * delay holds the message, then goes on (all delays of one message together are bounded by
 * {@link RuleAction.Delay#MAX}).
 *
 * <p>Cheap when idle: {@link #intercepts(Direction)} tells the relay whether anything would look at
 * a message travelling that way, and when nothing would, the relay neither decodes nor copies it.
 *
 * <p>Thread-safe: the rules are one immutable snapshot, replaced whole by {@link #replaceRules}; a
 * message already in the chain finishes under the snapshot it started with.
 */
public final class InterceptionService implements ReplaceRulesUseCase, InterceptorStatusQuery {

    private static final String TOOLS_CALL = "tools/call";
    private static final String TOOLS_LIST = "tools/list";
    /** Code interceptors run in a stable order: by name, then class name. */
    private static final Comparator<MessageInterceptor> BY_NAME =
            Comparator.comparing(MessageInterceptor::name).thenComparing(interceptor -> interceptor.getClass().getName());

    private final JsonEditPort json;
    private final RelayMetricsPort metrics;
    private final List<GuardedInterceptor> code;
    /** The directions some code interceptor wants: asked once per message, so worked out once. */
    private final Set<Direction> codeDirections;
    private final Map<String, LongAdder> hits = new ConcurrentHashMap<>();
    private volatile Rules rules;

    /**
     * @param rules   the configured rules
     * @param code    the code interceptors, run after the rules, sorted by {@link MessageInterceptor#name()}
     * @param json    edits messages for the built-in actions
     * @param metrics counts rule hits and interceptor failures
     * @throws IllegalArgumentException if a rule's configured JSON (a mock result, a redaction's
     *                                  replacement) is not well-formed JSON
     */
    public InterceptionService(RuleSet rules, List<MessageInterceptor> code, JsonEditPort json, RelayMetricsPort metrics) {
        this.json = Objects.requireNonNull(json, "json");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.code = code.stream().sorted(BY_NAME).map(interceptor -> new GuardedInterceptor(interceptor, metrics)).toList();
        EnumSet<Direction> wanted = EnumSet.noneOf(Direction.class);
        this.code.forEach(interceptor -> wanted.addAll(interceptor.directions));
        this.codeDirections = wanted;
        replaceRules(rules);
    }

    /**
     * {@inheritDoc} Hit counts of rules that keep their name carry on; those of removed rules are dropped.
     *
     * @throws IllegalArgumentException if a rule's configured JSON is not well-formed; the rules in
     *                                  force stay as they were
     */
    @Override
    public void replaceRules(RuleSet replacement) {
        Objects.requireNonNull(replacement, "replacement");
        for (InterceptRule rule : replacement.rules()) {
            switch (rule.action()) {
                case RuleAction.Mock mock -> requireJson(rule, "result", mock.resultJson());
                case RuleAction.Redact redact -> requireJson(rule, "replacement", redact.replacementJson());
                default -> { }
            }
        }
        Rules next = new Rules(replacement);
        replacement.rules().forEach(rule -> hits.computeIfAbsent(rule.name(), name -> new LongAdder()));
        rules = next;
        hits.keySet().retainAll(replacement.rules().stream().map(InterceptRule::name).toList());
    }

    private void requireJson(InterceptRule rule, String what, String text) {
        if (!json.isJson(text)) {
            throw new IllegalArgumentException("rule " + rule.name() + ": its " + what + " is not well-formed JSON: " + text);
        }
    }

    /** Whether no rule and no code interceptor looks at any message. */
    boolean isIdle() {
        return rules.set.rules().isEmpty() && code.isEmpty();
    }

    /** Whether any rule or code interceptor looks at messages travelling {@code direction}. */
    boolean intercepts(Direction direction) {
        return !rules.byDirection.get(direction).isEmpty() || codeDirections.contains(direction);
    }

    /** Runs the chain on one message, {@code text} being its JSON. */
    Verdict intercept(Direction direction, Exchange exchange, JsonRpcMessage message, String text) {
        MessageFacts facts = exchange.factsOf(direction, message);
        String current = text;
        boolean changed = false;
        Delays delays = new Delays();
        for (InterceptRule rule : rules.byDirection.get(direction)) {
            if (!rule.appliesTo(facts)) {
                continue;
            }
            Optional<Verdict> end = Optional.empty();
            Optional<String> edited = Optional.empty();
            switch (rule.action()) {
                case RuleAction.Block block -> end = Optional.of(stop(direction, message, block.code(), block.message()));
                case RuleAction.Mock mock -> end = mock(direction, message, mock.resultJson());
                case RuleAction.HideTools hide -> {
                    if (direction == Direction.REQUEST && message instanceof JsonRpcMessage.Request request
                            && TOOLS_CALL.equals(request.method()) && facts.tool().filter(hide::hides).isPresent()) {
                        end = Optional.of(new Verdict.Answer(new JsonRpcError(Optional.of(request.id()),
                                RuleAction.HideTools.UNKNOWN_TOOL_CODE, "Unknown tool: " + facts.tool().get()).toJson()));
                    } else if (direction != Direction.REQUEST && message instanceof JsonRpcMessage.Response
                            && facts.method().filter(TOOLS_LIST::equals).isPresent()) {
                        edited = json.removeTools(current, hide::hides);
                    }
                }
                case RuleAction.Redact redact -> edited = json.replaceAt(current, redact.pointer(), redact.replacementJson());
                case RuleAction.Delay delay -> {
                    hit(rule);
                    delays.hold(delay.duration());
                }
            }
            if (end.isPresent()) {
                hit(rule);
                return end.get();
            }
            if (edited.isPresent()) {
                hit(rule);
                current = edited.get();
                changed = true;
            }
        }
        for (GuardedInterceptor interceptor : code) {
            if (!interceptor.wants(direction)) {
                continue;
            }
            Optional<Decision> decided = interceptor.decide(new InterceptedMessage(facts, current));
            if (decided.isEmpty()) {
                continue;
            }
            switch (decided.get()) {
                case Decision.Continue ignored -> { }
                case Decision.Modify modify -> {
                    if (isOneObject(modify.json())) {
                        interceptor.acted();
                        current = modify.json();
                        changed = true;
                    } else {
                        interceptor.failed(new IllegalArgumentException("modified the message into something that is not one JSON object"));
                    }
                }
                case Decision.Block block -> {
                    interceptor.acted();
                    return stop(direction, message, block.code(), block.message());
                }
                case Decision.Mock mock -> {
                    if (!json.isJson(mock.resultJson())) {
                        interceptor.failed(new IllegalArgumentException("mocked a result that is not well-formed JSON"));
                        continue;
                    }
                    Optional<Verdict> end = mock(direction, message, mock.resultJson());
                    if (end.isPresent()) {
                        interceptor.acted();
                        return end.get();
                    }
                }
                case Decision.Delay delay -> {
                    interceptor.acted();
                    delays.hold(delay.duration());
                }
            }
        }
        return changed ? new Verdict.Pass(Optional.of(current)) : Verdict.UNCHANGED;
    }

    /**
     * Runs the chain on each message of {@code payload} ({@code text} being its JSON, a batch taken
     * apart message by message). When nothing changed, the rewrite holds the original text.
     */
    Rewrite intercept(Direction direction, Exchange exchange, JsonRpcPayload payload, String text) {
        List<JsonRpcMessage> messages = payload.messages();
        List<String> texts = payload instanceof JsonRpcPayload.Batch ? json.arrayElements(text) : List.of(text);
        if (texts.size() != messages.size()) {
            throw new IllegalStateException("a batch of " + messages.size() + " messages split into " + texts.size());
        }
        List<JsonRpcMessage> forwarded = new ArrayList<>();
        List<String> forwardedTexts = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        boolean changed = false;
        for (int i = 0; i < messages.size(); i++) {
            switch (intercept(direction, exchange, messages.get(i), texts.get(i))) {
                case Verdict.Pass pass -> {
                    forwarded.add(messages.get(i));
                    forwardedTexts.add(pass.replaced().orElse(texts.get(i)));
                    changed |= pass.replaced().isPresent();
                }
                case Verdict.Answer answer -> {
                    answers.add(answer.json());
                    changed = true;
                }
                case Verdict.Drop drop -> changed = true;
            }
        }
        return changed ? Rewrite.of(payload, forwarded, forwardedTexts, answers) : Rewrite.unchanged(payload, text);
    }

    /**
     * A blocked message: a client's request is answered with the error; a response (in either
     * direction) is replaced by the error, because its peer waits for it; anything else is dropped.
     */
    private static Verdict stop(Direction direction, JsonRpcMessage message, int code, String text) {
        return switch (message) {
            case JsonRpcMessage.Request request when direction == Direction.REQUEST ->
                    new Verdict.Answer(new JsonRpcError(Optional.of(request.id()), code, text).toJson());
            case JsonRpcMessage.Response response -> new Verdict.Pass(Optional.of(new JsonRpcError(Optional.of(response.id()), code, text).toJson()));
            case JsonRpcMessage.ErrorResponse error when error.id().isPresent() ->
                    new Verdict.Pass(Optional.of(new JsonRpcError(error.id(), code, text).toJson()));
            default -> Verdict.DROP;
        };
    }

    /** A mocked message: a client's request is answered with the result; a response gets it instead of its own. */
    private static Optional<Verdict> mock(Direction direction, JsonRpcMessage message, String resultJson) {
        return switch (message) {
            case JsonRpcMessage.Request request when direction == Direction.REQUEST ->
                    Optional.of(new Verdict.Answer(result(request.id(), resultJson)));
            case JsonRpcMessage.Response response -> Optional.of(new Verdict.Pass(Optional.of(result(response.id(), resultJson))));
            case JsonRpcMessage.ErrorResponse error when error.id().isPresent() ->
                    Optional.of(new Verdict.Pass(Optional.of(result(error.id().get(), resultJson))));
            default -> Optional.empty();
        };
    }

    private static String result(RequestId id, String resultJson) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id.toJson() + ",\"result\":" + resultJson + "}";
    }

    private boolean isOneObject(String text) {
        return text.stripLeading().startsWith("{") && json.isJson(text);
    }

    private void hit(InterceptRule rule) {
        LongAdder counter = hits.get(rule.name());
        if (counter != null) {
            counter.increment();
        }
        metrics.interceptorRuleHit(rule.name(), rule.action().configName());
    }

    /** The JSON editor the chain uses, for the callers that take batches apart too. */
    JsonEditPort json() {
        return json;
    }

    @Override
    public List<InterceptorStatus> interceptorStatus() {
        List<InterceptorStatus> status = new ArrayList<>();
        for (InterceptRule rule : rules.set.rules()) {
            LongAdder counter = hits.get(rule.name());
            status.add(new InterceptorStatus(rule.name(), "rule", rule.action().configName(), RuleText.describe(rule.match()),
                    counter == null ? 0 : counter.sum(), 0));
        }
        for (GuardedInterceptor interceptor : code) {
            status.add(new InterceptorStatus(interceptor.name, "code", "code", RuleText.directions(interceptor.directions),
                    interceptor.acted.sum(), interceptor.failures.sum()));
        }
        return List.copyOf(status);
    }

    /** The configured rules, and for each direction those that can apply to it. */
    private static final class Rules {
        final RuleSet set;
        final Map<Direction, List<InterceptRule>> byDirection = new EnumMap<>(Direction.class);

        Rules(RuleSet set) {
            this.set = set;
            for (Direction direction : Direction.values()) {
                byDirection.put(direction, set.rules().stream().filter(rule -> rule.match().covers(direction)).toList());
            }
        }
    }

    /** Holds a message for the delays decided on it, at most {@link RuleAction.Delay#MAX} in all. */
    private static final class Delays {
        private Duration left = RuleAction.Delay.MAX;

        void hold(Duration duration) {
            Duration wait = duration.compareTo(left) < 0 ? duration : left;
            if (wait.isZero()) {
                return;
            }
            left = left.minus(wait);
            try {
                // request and stream threads are virtual threads: sleeping parks them and holds no carrier thread
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
