package io.github.redisonmesos.broker.security;

import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Basic auth on everything but the health endpoint, which CF health checks call without
 * credentials.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain brokerSecurity(HttpSecurity http) throws Exception {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to(HealthEndpoint.class))
				.permitAll()
				.anyRequest()
				.authenticated())
			.httpBasic((basic) -> basic.authenticationEntryPoint(new JsonBasicAuthenticationEntryPoint()))
			// a machine-to-machine API without cookies: CSRF does not apply
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	@Bean
	UserDetailsService brokerUsers(BrokerCredentialsProperties credentials) {
		// {noop}: the password is held in memory in plain text anyway (it comes from the
		// environment), and hashing would cost CPU on every platform request
		return new InMemoryUserDetailsManager(User.withUsername(credentials.username())
			.password("{noop}" + credentials.password())
			.roles("PLATFORM")
			.build());
	}

}
