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
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
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
        String path = routedPath(exchange.getRequest().getPath());
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

    /** The key id of the request's caller, for logs ("anonymous" when authentication is off). */
    public static String caller(ServerWebExchange exchange) {
        Principal p = exchange.getAttribute(PRINCIPAL);
        return p == null ? "anonymous" : p.keyId();
    }

    /**
     * The path as the router matches it: each segment percent-decoded and without its ;parameters. Checking the raw
     * path instead let /%61pi/... or .../secret;x=1 reach a handler the rules were meant to guard. A '/' decoded
     * from %2F stays inside its segment (re-encoded), so segment counts agree with the router's.
     */
    static String routedPath(RequestPath path) {
        StringBuilder out = new StringBuilder();
        for (PathContainer.Element e : path.pathWithinApplication().elements()) {
            out.append(e instanceof PathContainer.PathSegment s ? s.valueToMatch().replace("/", "%2F") : e.value());
        }
        return out.toString();
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
