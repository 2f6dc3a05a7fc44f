package io.camber.gateway.error;

import io.camber.common.ErrorBody;
import io.camber.common.ErrorCode;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers failures of the gateway itself (no MDS reachable, no route) as problem details with a Camber
 * {@code code}, the same body the services answer with; errors answered by an MDS pass through untouched.
 */
@Component
@Order(-2) // before Spring Boot's default handler (-1), which would answer its own error JSON
public class GatewayErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    private final JsonMapper json;

    public GatewayErrorHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        ErrorBody body = toBody(error);
        if (body.status() >= 500) {
            log.warn("gateway error method={} path={} code={} cause={}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), body.code(), String.valueOf(error));
        }
        response.setStatusCode(HttpStatusCode.valueOf(body.status()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        DataBuffer buffer = response.bufferFactory().wrap(json.writeValueAsBytes(body));
        return response.writeWith(Mono.just(buffer));
    }

    /** Maps a failure to the Camber error vocabulary; package-private for tests. */
    static ErrorBody toBody(Throwable error) {
        if (isUpstreamUnreachable(error)) {
            return ErrorBody.of(ErrorCode.UNAVAILABLE,
                    "no MDS answered: check that the MDS processes are running and listed under "
                            + "spring.cloud.discovery.client.simple.instances.mds, then retry");
        }
        if (error instanceof ResponseStatusException status) {
            int code = status.getStatusCode().value();
            if (code == 404) {
                return ErrorBody.of(ErrorCode.NOT_FOUND,
                        "no route for this path: the admin API lives under /api/v1, see docs/api.md");
            }
            if (code >= 400 && code < 500) {
                return ErrorBody.of(ErrorCode.MALFORMED_REQUEST,
                        "the gateway refused the request (" + code + " " + status.getReason() + "): fix it and send it again");
            }
        }
        return ErrorBody.of(ErrorCode.INTERNAL, "the gateway failed: its log has the details");
    }

    private static boolean isUpstreamUnreachable(Throwable error) {
        if (error instanceof NotFoundException) { // the load balancer found no instance of the service
            return true;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof TimeoutException) {
                return true;
            }
            if (cause instanceof ResponseStatusException status && status.getStatusCode().value() == 504) {
                return true; // the gateway's own response timeout
            }
        }
        return false;
    }
}
