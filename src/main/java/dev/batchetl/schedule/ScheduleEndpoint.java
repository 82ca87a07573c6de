package dev.batchetl.schedule;

import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/schedule}: the schedule, the next fire time, and the latest fire of
 * the definition as the job repository records it (whichever node ran it), with its
 * status.
 */
@Component
@Endpoint(id = "schedule")
@ConditionalOnProperty(name = Scheduler.ENABLED, havingValue = "true")
class ScheduleEndpoint {

    private final Scheduler scheduler;

    ScheduleEndpoint(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @ReadOperation
    public Map<String, Object> schedule() {
        return this.scheduler.state();
    }

}
