package io.github.redisonmesos.counter.counting;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.redisonmesos.counter.support.Backends;
import io.github.redisonmesos.testsupport.EndToEnd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's headless Chromium, driven by Selenium through Debian's chromedriver (named
 * explicitly, so Selenium Manager downloads nothing), reads the counter from the page.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
// its own context: no other class has its backends' ports; closed after the class
@DirtiesContext
@EndToEnd
class CounterPageBrowserTests {

	private static final String CHROMIUM = "/usr/bin/chromium";

	private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	@RegisterExtension
	static final Backends backends = Backends.withoutPassword();

	@TempDir
	Path browserDir;

	@LocalServerPort
	private int port;

	private ChromeDriverService driverService;

	private WebDriver browser;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		backends.registerAppOnLoopback(registry);
		backends.registerConsulVariables(registry);
	}

	@BeforeEach
	void startBrowser() throws Exception {
		this.driverService = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.withLogFile(this.browserDir.resolve("chromedriver.log").toFile())
			.build();
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage",
					"--user-data-dir=" + Files.createDirectory(this.browserDir.resolve("profile")));
		this.browser = new ChromeDriver(this.driverService, options);
		this.browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.driverService != null) {
			this.driverService.stop();
		}
	}

	@Test
	void pageShowsWhereConsulFoundRedisAndTheCounterGoesUpOnReload() {
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		long first = Long.parseLong(this.browser.findElement(By.id("counter")).getText());

		this.browser.navigate().refresh();
		long second = Long.parseLong(this.browser.findElement(By.id("counter")).getText());

		assertThat(second).isEqualTo(first + 1);
		assertThat(this.browser.findElement(By.tagName("h1")).getText())
			.isEqualTo("I am a stateless app, connecting to a stateful service");
		assertThat(this.browser.findElement(By.tagName("main")).getText())
			.contains("Consul tells me that Redis is running on: 127.0.0.1:" + backends.redis().port()
					+ ", in datacenter dc1");
	}

}
