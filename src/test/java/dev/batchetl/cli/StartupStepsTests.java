package dev.batchetl.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.core.metrics.StartupStep;

import static org.assertj.core.api.Assertions.assertThat;

/** The listing of a start's slowest steps, with their tags. */
class StartupStepsTests {

    @Test
    void theSlowestStepsComeFirstWithTheirTags() throws Exception {
        BufferingApplicationStartup startup = new BufferingApplicationStartup(100);
        startup.startRecording();
        StartupStep quick = startup.start("spring.beans.instantiate").tag("beanName", "quick");
        quick.end();
        StartupStep slow = startup.start("spring.beans.instantiate").tag("beanName", "slow");
        Thread.sleep(60);
        slow.end();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        StartupSteps.print(startup, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).startsWith("context start: 2 steps");
        assertThat(lines.get(1)).endsWith("spring.beans.instantiate beanName=slow");
        assertThat(Long.parseLong(lines.get(1).strip().split(" +")[0])).isGreaterThanOrEqualTo(60);
        assertThat(lines.get(2)).endsWith("spring.beans.instantiate beanName=quick");
        assertThat(lines).hasSize(3);
    }

    @Test
    void noRecorderUnlessAskedFor() {
        assertThat(System.getProperty(StartupSteps.PROPERTY)).isNull();
        assertThat(StartupSteps.recorder()).isNull();
    }

}
