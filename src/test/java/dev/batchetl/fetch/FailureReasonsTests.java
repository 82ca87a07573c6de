package dev.batchetl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class FailureReasonsTests {

    @Test
    void statusLinesCarryTheEnglishReasonPhraseWhereThereIsOne() {
        assertThat(FailureReasons.statusLine(404)).isEqualTo("HTTP 404 Not Found");
        assertThat(FailureReasons.statusLine(503)).isEqualTo("HTTP 503 Service Unavailable");
        assertThat(FailureReasons.statusLine(429)).isEqualTo("HTTP 429 Too Many Requests");
        // httpcore5's catalog, which names some statuses as RFC 2616 did
        assertThat(FailureReasons.statusLine(413)).isEqualTo("HTTP 413 Request Too Long");
        assertThat(FailureReasons.statusLine(418)).isEqualTo("HTTP 418");
        assertThat(FailureReasons.statusLine(599)).isEqualTo("HTTP 599");
    }

    @Test
    void connectFailuresSayWhatWentWrong() {
        URI uri = URI.create("http://nowhere.example/a.csv");
        ConnectException refused = new ConnectException(
                "Connect to http://nowhere.example:80 failed: Connection refused");
        ConnectException unknown = new ConnectException("Connect to http://nowhere.example:80 failed");
        unknown.initCause(new UnknownHostException("nowhere.example"));

        assertThat(FailureReasons.connectFailure(uri, refused)).isEqualTo("connection refused");
        assertThat(FailureReasons.connectFailure(uri, unknown)).isEqualTo("unknown host: nowhere.example");
        assertThat(FailureReasons.connectFailure(uri, new ConnectException("Network is unreachable")))
            .isEqualTo("connect failed: Network is unreachable");
        assertThat(FailureReasons.connectFailure(uri, new ConnectException())).isEqualTo("connection refused");
    }

    @Test
    void durationsAreShort() {
        assertThat(FailureReasons.human(Duration.ofMillis(300))).isEqualTo("300ms");
        assertThat(FailureReasons.human(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(FailureReasons.human(Duration.ofMillis(1500))).isEqualTo("1.5s");
    }

}
