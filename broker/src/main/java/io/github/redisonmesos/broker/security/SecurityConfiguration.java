package io.github.redisonmesos.broker.security;

import jakarta.servlet.http.HttpServletResponse;

import io.github.redisonmesos.broker.web.ErrorBodies;

import org.springframework.http.HttpMethod;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Basic auth on everything but the health endpoint, which CF health checks call without
 * credentials; {@code /actuator/prometheus} needs the broker's credentials too.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain brokerSecurity(HttpSecurity http) throws Exception {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to(HealthEndpoint.class))
				.permitAll()
				// the Mesos fetcher has no credentials: a single-use token
				// (tls.TlsDeliveryController)
				.requestMatchers(HttpMethod.GET, "/tls/v1/instances/*/delivery", "/tls/v1/instances/*/nodes/*/delivery")
				.permitAll()
				.anyRequest()
				.authenticated())
			.httpBasic((basic) -> basic.authenticationEntryPoint(new JsonBasicAuthenticationEntryPoint()))
			// a machine-to-machine API without cookies: CSRF does not apply
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	/**
	 * No observation of the filter chain: Spring Security otherwise wraps each of its
	 * filters in an observation on every request, which showed in a profile under load as
	 * a tenth of the allocations of a poll; {@code osb_requests_seconds} times the
	 * requests.
	 */
	@Bean
	SecurityObservationSettings noFilterChainObservations() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	PasswordEncoder brokerPasswordEncoder() {
		return new Sha256PasswordEncoder();
	}

	/**
	 * The one platform user. Deliberately not an {@code InMemoryUserDetailsManager}: that
	 * class is a {@code UserDetailsPasswordService}, so Spring Security would "upgrade"
	 * the stored password to BCrypt at the first login and pay a BCrypt check on every
	 * request after it.
	 */
	@Bean
	UserDetailsService brokerUsers(BrokerCredentialsProperties credentials, PasswordEncoder encoder) {
		UserDetails platform = User.withUsername(credentials.username())
			.password(encoder.encode(credentials.password()))
			.roles("PLATFORM")
			.build();
		return (username) -> {
			if (!platform.getUsername().equals(username)) {
				throw new UsernameNotFoundException("unknown user");
			}
			return User.withUserDetails(platform).build();
		};
	}

	/**
	 * A request the firewall refuses (an encoded slash, {@code ..}, a semicolon in the
	 * path) gets an OSB error body instead of an empty 400.
	 */
	@Bean
	RequestRejectedHandler jsonRequestRejectedHandler() {
		return (request, response, ex) -> {
			if (response.isCommitted()) {
				return;
			}
			ErrorBodies.write(response, HttpServletResponse.SC_BAD_REQUEST, "The request path is malformed ("
					+ ex.getMessage() + "); ids may hold lower-case letters, " + "digits and '-' only.");
		};
	}

}
