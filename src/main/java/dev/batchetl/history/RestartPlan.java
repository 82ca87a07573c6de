package dev.batchetl.history;

import java.util.List;

/**
 * What a restart of an execution would redo, as {@code show} prints it: either nothing,
 * with why, or for each step of the job whether it is skipped or run again, and from
 * where.
 *
 * @param nothing why a restart would redo nothing, or null when it redoes steps
 * @param steps the steps in the order the job runs them (empty with {@code nothing})
 * @param executionId the execution a restart continues
 */
public record RestartPlan(String nothing, List<Step> steps, long executionId) {

    public static RestartPlan nothing(String why, long executionId) {
        return new RestartPlan(why, List.of(), executionId);
    }

    /**
     * One step of the plan.
     *
     * @param name the step's name
     * @param redo whether the restart runs it again
     * @param why its last status and, for a step run again, what it does again
     * @param partitions the statistics partitions run again, as table lines (empty for
     * other steps)
     */
    public record Step(String name, boolean redo, String why, List<String> partitions) {
    }

}
