package io.mcprelay.adapter.http.auth;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches the key set within one deadline in all. Nimbus's retriever bounds the connect and each
 * read, and the size; a server that trickles a byte before every read timeout would still hold the
 * caller for as long as it likes, so the fetch runs on its own virtual thread and is abandoned
 * (interrupted, which closes its socket) when the deadline passes.
 */
final class BoundedRetriever implements ResourceRetriever {

    private final ResourceRetriever inner;
    private final Duration deadline;

    BoundedRetriever(Duration deadline, int maxBytes) {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, deadline.toMillis()));
        this.inner = new DefaultResourceRetriever(millis, millis, maxBytes);
        this.deadline = deadline;
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        FutureTask<Resource> fetch = new FutureTask<>(() -> inner.retrieveResource(url));
        Thread.ofVirtual().name("mcp-relay-jwks-fetch").start(fetch);
        return await(fetch);
    }

    private Resource await(Future<Resource> fetch) throws IOException {
        try {
            return fetch.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fetch.cancel(true);
            throw new IOException("the key set was not fetched within " + deadline.toMillis() + " ms");
        } catch (InterruptedException e) {
            fetch.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching the key set");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("the key set could not be fetched", e.getCause());
        }
    }
}
