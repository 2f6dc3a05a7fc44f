package io.camber.mds.auth;

import io.camber.common.CamberException;
import io.camber.common.ErrorBody;
import io.camber.common.ErrorCode;
import io.camber.server.codec.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Every request to /api/** passes here before any controller: 401 without a known key, 403 when its role may not
 * do it. A filter rather than checks in controllers, so endpoints added later are covered without edits. Actuator
 * (health, metrics) and /v3/api-docs stay open. All in memory: nothing here blocks the event loop.
 */
public final class ApiKeyFilter implements WebFilter, Ordered {
    /** Exchange attribute holding the {@link Principal} of an authenticated request. */
    public static final String PRINCIPAL = "camber.principal";
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyFilter.class);

    private final Authenticator authenticator;
    private final AccessPolicy policy;

    public ApiKeyFilter(Authenticator authenticator, AccessPolicy policy) {
        this.authenticator = authenticator;
        this.policy = policy;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            return chain.filter(exchange);
        }
        String method = exchange.getRequest().getMethod().name();
        Principal who;
        try {
            who = authenticator.authenticate(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        } catch (CamberException e) {
            LOG.info("event=api_unauthenticated method={} path={} remote={}", method, path,
                    exchange.getRequest().getRemoteAddress());
            return refuse(exchange, e);
        }
        if (!policy.allows(who.role(), method, path)) {
            LOG.info("event=api_forbidden key={} role={} method={} path={}", who.keyId(), who.role().label(), method,
                    path);
            return refuse(exchange, new CamberException(ErrorCode.FORBIDDEN, "key " + who.keyId() + " has role "
                    + who.role().label() + ", which may not " + method + " " + path + ": use a key with a role that"
                    + " may (docs/operations.md, \"Authentication\")"));
        }
        exchange.getAttributes().put(PRINCIPAL, who);
        return chain.filter(exchange);
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, CamberException e) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.valueOf(e.code().httpStatus()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        // The request body was never read: closing the connection keeps its bytes from being taken for the next
        // request on it (a kept-alive connection hung after a refused POST without this).
        response.getHeaders().set(HttpHeaders.CONNECTION, "close");
        if (e.code() == ErrorCode.UNAUTHENTICATED) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"camber\"");
        }
        byte[] body = Json.write(ErrorBody.of(e.code(), e.getMessage()));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
