package io.mcprelay.adapter.storage.fakes;

import io.mcprelay.adapter.storage.EventLogContract;
import io.mcprelay.adapter.storage.MutableClock;
import io.mcprelay.application.fixtures.InMemoryEventLog;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.domain.stream.ReplayLogLimits;
import java.time.Duration;

/**
 * The application's replay-log fake ({@link InMemoryEventLog}, both ports in one object, which the
 * service tests run on) against the same contract as the real stores, so that what the services are
 * tested on cannot drift from what they run on.
 */
class ApplicationEventLogFakeTest extends EventLogContract {

    private final MutableClock clock = new MutableClock();

    @Override
    protected EventLogPort newLog(ReplayLogLimits limits) {
        return new InMemoryEventLog(clock);
    }

    @Override
    protected StreamLeasePort leasesOf(EventLogPort log) {
        return (InMemoryEventLog) log;
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
