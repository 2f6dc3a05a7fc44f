package io.camber.s3.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Gives every request an id, answered as x-amz-request-id and put in error documents, to find it in the log. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIds implements WebFilter {
    private static final String ATTRIBUTE = RequestIds.class.getName();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String id = HexFormat.of().withUpperCase().toHexDigits(ThreadLocalRandom.current().nextLong());
        exchange.getAttributes().put(ATTRIBUTE, id);
        exchange.getResponse().getHeaders().set("x-amz-request-id", id);
        return chain.filter(exchange);
    }

    static String of(ServerRequest request) {
        return String.valueOf(request.attribute(ATTRIBUTE).orElse("-"));
    }
}
