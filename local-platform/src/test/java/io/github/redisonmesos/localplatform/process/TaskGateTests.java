package io.github.redisonmesos.localplatform.process;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate that holds a task's command until its PID is recorded.
 */
class TaskGateTests {

	@TempDir
	Path dir;

	@Test
	void commandRunsOnceTheGateOpens() throws Exception {
		Process process = gated("touch ran");
		TaskGate.open(process);
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).isZero();
		assertThat(this.dir.resolve("ran")).exists();
	}

	@Test
	void commandNeverRunsWhenThePlatformDiesBeforeOpeningTheGate() throws Exception {
		Process process = gated("touch ran");
		// What a dying platform leaves: the pipe closes without the line.
		process.getOutputStream().close();
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).isEqualTo(TaskGate.NEVER_OPENED);
		assertThat(this.dir.resolve("ran")).doesNotExist();
	}

	@Test
	void openedCommandKeepsTheGatesPid() throws Exception {
		Process process = gated("echo $$ > pid");
		TaskGate.open(process);
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(java.nio.file.Files.readString(this.dir.resolve("pid")).trim())
			.isEqualTo(Long.toString(process.pid()));
	}

	private Process gated(String cmd) throws Exception {
		return new ProcessBuilder(TaskGate.gated(List.of("/bin/sh", "-c", cmd))).directory(this.dir.toFile()).start();
	}

}
