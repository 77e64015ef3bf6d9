package io.mcprelay.adapter.http.out;

import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.access.MediaTypes;
import java.io.IOException;
import java.io.InputStream;

/**
 * Classifies an upstream's HTTP answer by status and {@code Content-Type}, for both HTTP clients:
 * a non-2xx answer is read up to the error limit; an event stream is handed over open, to be read
 * event by event; 202, 204 or an empty untyped body is accepted; JSON is read whole (bounded, and
 * refused unread when its declared length is over the limit); anything else streams through. The
 * clients differ only in how they read a head and a body ({@link Received}).
 */
final class AnswerClassifier {

    private AnswerClassifier() {
    }

    /**
     * An answer whose head has arrived, as one HTTP client holds it. Exactly one of
     * {@link #readAtMost} + {@link #release()}, {@link #events}, {@link #releasingBody()} or
     * {@link #release()} alone is used, once.
     */
    interface Received {

        int status();

        HttpAnswer.Headers headers();

        /** The {@code Content-Type}, or "" when there is none. */
        String contentType();

        /** The declared body length, 0 for none, -1 when unknown (chunked, until close). */
        long declaredLength();

        /** The body, at most {@code max} bytes, memory taken as they arrive ({@link AnswerBodies}). */
        byte[] readAtMost(int max) throws IOException;

        /** Ends the answer: its connection is pooled again or closed. */
        void release();

        /** The body as events, holding the connection (and pool place) until closed. */
        UpstreamEvents events(int maxEventBytes);

        /** The body as it is; closing it releases the connection and the pool place. */
        InputStream releasingBody();
    }

    static HttpAnswer classify(Received answer, UpstreamClientConfig config) throws IOException {
        int status = answer.status();
        String contentType = answer.contentType();
        if (status < 200 || status > 299) {
            byte[] body = answer.readAtMost(config.maxErrorBodyBytes());
            answer.release();
            return new HttpAnswer.Failed(status, answer.headers(), contentType, body);
        }
        if (MediaTypes.isEventStream(contentType)) {
            return new HttpAnswer.EventStream(status, answer.headers(), answer.events(config.maxEventBytes()));
        }
        if (status == 202 || status == 204 || contentType.isEmpty() && answer.declaredLength() <= 0) {
            answer.release();
            return new HttpAnswer.Accepted(status, answer.headers());
        }
        if (MediaTypes.isJson(contentType)) {
            // refused unread when its declared length is over the limit (the connection is then closed, not reused)
            byte[] body = answer.declaredLength() > config.maxJsonBytes() ? null : answer.readAtMost(config.maxJsonBytes() + 1);
            answer.release();
            if (body == null || body.length > config.maxJsonBytes()) {
                return new HttpAnswer.Unreachable(UpstreamReply.Unreachable.Cause.PROTOCOL,
                        "JSON answer larger than " + config.maxJsonBytes() + " bytes");
            }
            return new HttpAnswer.Json(status, answer.headers(), body);
        }
        return new HttpAnswer.Passthrough(status, answer.headers(), contentType, answer.releasingBody());
    }
}
