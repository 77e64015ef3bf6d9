package io.mcprelay.adapter.http.in;

import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.domain.stream.StreamKind;
import java.time.Duration;
import java.util.Objects;

/**
 * The metrics port, which also notes each POSTed body's JSON-RPC method and outcome in the request's
 * {@link RequestRecord} for the access log: the use case reports them once per body, on the request's
 * thread, so the access log learns them without a port of its own. Everything is passed on.
 */
public final class MessageNotingMetrics implements RelayMetricsPort {

    private final RelayMetricsPort delegate;

    public MessageNotingMetrics(RelayMetricsPort delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void requestCompleted(String rpcMethod, String outcome, Duration latency) {
        RequestRecord.noteMessage(rpcMethod, outcome);
        delegate.requestCompleted(rpcMethod, outcome, latency);
    }

    @Override
    public void requestCompleted(String rpcMethod, String outcome, Duration latency, io.mcprelay.domain.era.ProtocolEra era) {
        RequestRecord.noteMessage(rpcMethod, outcome);
        delegate.requestCompleted(rpcMethod, outcome, latency, era);
    }

    @Override
    public void streamOpened(StreamKind kind) {
        delegate.streamOpened(kind);
    }

    @Override
    public void streamClosed(StreamKind kind) {
        delegate.streamClosed(kind);
    }

    @Override
    public void eventRelayed() {
        delegate.eventRelayed();
    }

    @Override
    public void eventReplayed() {
        delegate.eventReplayed();
    }

    @Override
    public void firstEvent(Duration sinceRequest) {
        delegate.firstEvent(sinceRequest);
    }

    @Override
    public void storeOperation(String operation, Duration latency, boolean failed) {
        delegate.storeOperation(operation, latency, failed);
    }

    @Override
    public void interceptorRuleHit(String rule, String action) {
        delegate.interceptorRuleHit(rule, action);
    }

    @Override
    public void interceptorFailed(String interceptor) {
        delegate.interceptorFailed(interceptor);
    }

    @Override
    public void bridgeSessionOpened() {
        delegate.bridgeSessionOpened();
    }

    @Override
    public void bridgeSessionClosed(String why) {
        delegate.bridgeSessionClosed(why);
    }

    @Override
    public void bridgeCallParked() {
        delegate.bridgeCallParked();
    }

    @Override
    public void bridgeCallUnparked(String outcome) {
        delegate.bridgeCallUnparked(outcome);
    }
}
