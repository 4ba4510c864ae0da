package io.github.redisonmesos.counter.counting;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

import io.github.redisonmesos.counter.binding.RedisBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest({ CounterApiController.class, CounterPageController.class })
@Import(CounterControllerTests.Binding.class)
class CounterControllerTests {

	private static final String PASSWORD = "r3d1s-pa55word";

	private static final String TOKEN = "2b7d4e19-6a3c-4f0e-8d15-9c2a7b3e6f04";

	private static final String USER = "b-5f0c2a7e-1d4b-4c3e-9a8f-6b2d0e7c1a94";

	private static final CounterReading READING = new CounterReading("consul.service.consul", 8500, "dc1", "10.0.0.7",
			31544, USER, 42, "2026-01-02T03:04:05Z");

	@Autowired
	private MockMvc mvc;

	@MockitoBean
	private CounterService counterService;

	@Test
	void apiAnswersTheContractFields() throws Exception {
		given(this.counterService.increment()).willReturn(CompletableFuture.completedFuture(READING));

		this.mvc.perform(get("/api/counter"))
			.andExpect(status().isOk())
			.andExpect(content().contentType(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.length()").value(8))
			.andExpect(jsonPath("$.consulHost").value("consul.service.consul"))
			.andExpect(jsonPath("$.consulPort").value(8500))
			.andExpect(jsonPath("$.consulDatacenter").value("dc1"))
			.andExpect(jsonPath("$.redisHost").value("10.0.0.7"))
			.andExpect(jsonPath("$.redisPort").value(31544))
			.andExpect(jsonPath("$.redisUser").value(USER))
			.andExpect(jsonPath("$.counter").value(42))
			.andExpect(jsonPath("$.resolvedAt").value("2026-01-02T03:04:05Z"));
	}

	@ParameterizedTest
	@EnumSource(FailureKind.class)
	void apiAnswers503NamingTheFailure(FailureKind kind) throws Exception {
		given(this.counterService.increment())
			.willThrow(new CounterUnavailableException(kind, "what was tried and what failed", null));

		this.mvc.perform(get("/api/counter"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.length()").value(2))
			.andExpect(jsonPath("$.error").value(kind.wireName()))
			.andExpect(jsonPath("$.message").value("what was tried and what failed"));
	}

	@Test
	void pageShowsTheDemoWordsAndTheCounter() throws Exception {
		given(this.counterService.increment()).willReturn(CompletableFuture.completedFuture(READING));

		this.mvc.perform(get("/"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("I am a stateless app, connecting to a stateful service")))
			.andExpect(content().string(containsString("Consul tells me that Redis is running on:")))
			.andExpect(content().string(containsString("<code id=\"redis\">10.0.0.7:31544</code>")))
			.andExpect(content().string(containsString("in datacenter <code id=\"datacenter\">dc1</code>")))
			.andExpect(content().string(containsString("<strong id=\"counter\">42</strong>")))
			.andExpect(content().string(containsString("<code id=\"redis-user\">" + USER + "</code>")));
	}

	@Test
	void pageWithoutRedisUserSaysNothingAboutOne() throws Exception {
		given(this.counterService.increment())
			.willReturn(CompletableFuture.completedFuture(new CounterReading("consul.service.consul", 8500, "dc1",
					"10.0.0.7", 31544, null, 42, "2026-01-02T03:04:05Z")));

		this.mvc.perform(get("/"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("<strong id=\"counter\">42</strong>")))
			.andExpect(content().string(not(containsString("redis-user"))));
		this.mvc.perform(get("/api/counter")).andExpect(jsonPath("$.redisUser").doesNotExist());
	}

	@ParameterizedTest
	@EnumSource(FailureKind.class)
	void pageAnswers503SayingWhichDependencyFailedWithoutTheBindingSecrets(FailureKind kind) throws Exception {
		given(this.counterService.increment())
			.willThrow(new CounterUnavailableException(kind, "what was tried and what failed", null));

		this.mvc.perform(get("/"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(content().string(containsString("<code id=\"error\">" + kind.wireName() + "</code>")))
			.andExpect(content().string(containsString(kind.headline())))
			.andExpect(content().string(containsString("what was tried and what failed")))
			.andExpect(content().string(containsString("<code>redis</code>")))
			.andExpect(content().string(containsString("<code id=\"redis-user\">" + USER + "</code>")))
			.andExpect(content().string(not(containsString(TOKEN))))
			.andExpect(content().string(not(containsString(PASSWORD))));
	}

	@Test
	void apiAndPageAnswerTheSameAfterWaitingForRedis() throws Exception {
		CompletableFuture<CounterReading> json = new CompletableFuture<>();
		CompletableFuture<CounterReading> page = new CompletableFuture<>();
		given(this.counterService.increment()).willReturn(json, page);

		MvcResult jsonWaiting = this.mvc.perform(get("/api/counter")).andExpect(request().asyncStarted()).andReturn();
		MvcResult pageWaiting = this.mvc.perform(get("/")).andExpect(request().asyncStarted()).andReturn();
		json.complete(READING);
		page.complete(READING);

		this.mvc.perform(asyncDispatch(jsonWaiting))
			.andExpect(status().isOk())
			.andExpect(content().contentType(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.length()").value(8))
			.andExpect(jsonPath("$.counter").value(42));
		this.mvc.perform(asyncDispatch(pageWaiting))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("<strong id=\"counter\">42</strong>")));
	}

	@ParameterizedTest
	@EnumSource(FailureKind.class)
	void apiAndPageAnswer503AfterWaitingInVain(FailureKind kind) throws Exception {
		CompletableFuture<CounterReading> json = new CompletableFuture<>();
		CompletableFuture<CounterReading> page = new CompletableFuture<>();
		given(this.counterService.increment()).willReturn(json, page);

		MvcResult jsonWaiting = this.mvc.perform(get("/api/counter")).andExpect(request().asyncStarted()).andReturn();
		MvcResult pageWaiting = this.mvc.perform(get("/")).andExpect(request().asyncStarted()).andReturn();
		json.completeExceptionally(new CounterUnavailableException(kind, "what was tried and what failed", null));
		page.completeExceptionally(new CounterUnavailableException(kind, "what was tried and what failed", null));

		this.mvc.perform(asyncDispatch(jsonWaiting))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.length()").value(2))
			.andExpect(jsonPath("$.error").value(kind.wireName()))
			.andExpect(jsonPath("$.message").value("what was tried and what failed"));
		this.mvc.perform(asyncDispatch(pageWaiting))
			.andExpect(status().isServiceUnavailable())
			.andExpect(content().string(containsString("<code id=\"error\">" + kind.wireName() + "</code>")))
			.andExpect(content().string(containsString("what was tried and what failed")));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Binding {

		@Bean
		RedisBinding redisBinding() {
			return new RedisBinding(URI.create("http://consul.service.consul:8500"), "dc1", "redis", USER, PASSWORD,
					TOKEN, "test");
		}

	}

}
