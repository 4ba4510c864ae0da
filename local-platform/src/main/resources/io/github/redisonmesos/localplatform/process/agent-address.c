/*
 * The local platform's agents are addresses of one machine (127.0.1.N), so a task that
 * listens on all addresses would be reachable at every agent's address, where on a real
 * cluster it is reachable at its own agent's only. Preloaded into every task
 * (LD_PRELOAD, see AgentAddress.java), this makes each agent a host of its own for the
 * sockets its tasks bind: a bind to all IPv4 addresses binds the agent's address
 * (LOCAL_PLATFORM_AGENT_ADDRESS); a dual-stack bind to all IPv6 addresses binds the
 * agent's address as an IPv4-mapped one; an IPv6-only one fails as on a host without an
 * IPv6 address (EADDRNOTAVAIL: Redis skips its optional "-::*"); a bind to another
 * agent's address fails as a bind to another host's address would. Every other bind
 * (127.0.0.1, ::1, a port of its own agent) is left as asked.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

typedef int (*bind_function)(int, const struct sockaddr *, socklen_t);

/* The agents' network, 127.0.1.0/24 (Agents.java). */
static int agents_network(in_addr_t address) {
	return (ntohl(address) & 0xffffff00u) == 0x7f000100u;
}

int bind(int fd, const struct sockaddr *address, socklen_t length) {
	static bind_function real_bind;
	if (real_bind == NULL) {
		real_bind = (bind_function) dlsym(RTLD_NEXT, "bind");
	}
	const char *agent_text = getenv("LOCAL_PLATFORM_AGENT_ADDRESS");
	struct in_addr agent;
	if (address == NULL || agent_text == NULL || inet_pton(AF_INET, agent_text, &agent) != 1) {
		return real_bind(fd, address, length);
	}
	if (address->sa_family == AF_INET && length >= (socklen_t) sizeof(struct sockaddr_in)) {
		struct sockaddr_in asked;
		memcpy(&asked, address, sizeof asked);
		if (asked.sin_addr.s_addr == htonl(INADDR_ANY)) {
			asked.sin_addr = agent;
			return real_bind(fd, (const struct sockaddr *) &asked, sizeof asked);
		}
		if (agents_network(asked.sin_addr.s_addr) && asked.sin_addr.s_addr != agent.s_addr) {
			errno = EADDRNOTAVAIL;
			return -1;
		}
	}
	else if (address->sa_family == AF_INET6 && length >= (socklen_t) sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 asked;
		memcpy(&asked, address, sizeof asked);
		if (IN6_IS_ADDR_UNSPECIFIED(&asked.sin6_addr)) {
			int only = 0;
			socklen_t size = sizeof only;
			if (getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, &size) == 0 && only) {
				errno = EADDRNOTAVAIL;
				return -1;
			}
			memset(&asked.sin6_addr, 0, sizeof asked.sin6_addr);
			asked.sin6_addr.s6_addr[10] = 0xff;
			asked.sin6_addr.s6_addr[11] = 0xff;
			memcpy(&asked.sin6_addr.s6_addr[12], &agent, 4);
			return real_bind(fd, (const struct sockaddr *) &asked, sizeof asked);
		}
		if (IN6_IS_ADDR_V4MAPPED(&asked.sin6_addr)) {
			in_addr_t mapped;
			memcpy(&mapped, &asked.sin6_addr.s6_addr[12], 4);
			if (agents_network(mapped) && mapped != agent.s_addr) {
				errno = EADDRNOTAVAIL;
				return -1;
			}
		}
	}
	return real_bind(fd, address, length);
}
