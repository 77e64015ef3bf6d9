package io.mcprelay.adapter.storage.fakes;

import io.mcprelay.adapter.storage.MutableClock;
import io.mcprelay.adapter.storage.SessionStoreContract;
import io.mcprelay.application.fixtures.InMemorySessions;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.domain.session.SessionPolicy;
import java.time.Duration;

/**
 * The application's session fake ({@link InMemorySessions}, which the service tests run on) against
 * the same store contract as the real stores, so that what the services are tested on cannot drift
 * from what they run on.
 */
class ApplicationSessionsFakeTest extends SessionStoreContract {

    private final MutableClock clock = new MutableClock();

    @Override
    protected SessionStorePort newStore(SessionPolicy policy, int maxSessions) {
        return new InMemorySessions(policy, clock, maxSessions);
    }

    @Override
    protected void elapse(Duration duration) {
        clock.advance(duration);
    }

    @Override
    protected ClockPort clock() {
        return clock;
    }
}
