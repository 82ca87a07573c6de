package dev.batchetl.remote;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.batch.integration.partition.StepExecutionRequest;

/**
 * The wire form of a partition request: a small JSON object,
 * {@code {"stepName":"stats-file","stepExecutionId":42,"repository":"etl/0f3c...-..."}},
 * the last being the {@link RepositoryIdentity} of the manager's job repository, so that
 * a worker on another database can tell the request is not for it (a request without it,
 * from a manager before this field, is still accepted). Only these fields, of these
 * types, for the steps workers run, are accepted: nothing else in a message is
 * interpreted, and no Java deserialisation is ever involved.
 */
final class PartitionRequests {

    static final String CONTENT_TYPE = "application/json";

    private static final int MAX_BYTES = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private PartitionRequests() {
    }

    private static final int MAX_REPOSITORY = 200;

    /**
     * A request as a worker read it: the step execution, and the job repository it is in
     * (null if not said).
     */
    record Request(StepExecutionRequest request, String repository) {
    }

    static byte[] encode(StepExecutionRequest request, String repository) {
        ObjectNode node = JSON.createObjectNode();
        node.put("stepName", request.getStepName());
        node.put("stepExecutionId", request.getStepExecutionId());
        node.put("repository", repository);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a request for one of the given steps.
     * @throws MalformedRequestException with a one-line reason
     */
    static Request decode(byte[] body, java.util.Set<String> steps) {
        if (body == null || body.length == 0) {
            throw new MalformedRequestException("empty message");
        }
        if (body.length > MAX_BYTES) {
            throw new MalformedRequestException("message of " + body.length + " bytes (a request is a few dozen)");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        }
        catch (JsonProcessingException ex) {
            throw new MalformedRequestException("not JSON: " + ex.getOriginalMessage());
        }
        catch (java.io.IOException ex) {
            throw new MalformedRequestException("unreadable: " + ex.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new MalformedRequestException("not a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("stepName") && !name.equals("stepExecutionId") && !name.equals("repository")) {
                throw new MalformedRequestException("unexpected field '" + printable(name) + "'");
            }
        }
        JsonNode step = node.get("stepName");
        JsonNode id = node.get("stepExecutionId");
        if (step == null || !step.isTextual()) {
            throw new MalformedRequestException("no stepName string");
        }
        if (!steps.contains(step.asText())) {
            throw new MalformedRequestException("step '" + printable(step.asText()) + "' is not "
                    + String.join(" or ", new java.util.TreeSet<>(steps)));
        }
        if (id == null || !id.canConvertToLong() || !id.isIntegralNumber() || id.asLong() < 1) {
            throw new MalformedRequestException("no positive whole stepExecutionId");
        }
        JsonNode repository = node.get("repository");
        if (repository != null && (!repository.isTextual() || repository.asText().isEmpty()
                || repository.asText().length() > MAX_REPOSITORY
                || repository.asText().chars().anyMatch(Character::isISOControl))) {
            throw new MalformedRequestException("repository is not a job repository's name");
        }
        return new Request(new StepExecutionRequest(step.asText(), id.asLong()),
                repository == null ? null : repository.asText());
    }

    private static String printable(String text) {
        String cut = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** A message that is not a partition request this worker can run. */
    static final class MalformedRequestException extends RuntimeException {

        MalformedRequestException(String message) {
            super(message);
        }

    }

}
