package io.camber.s3.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Sends every request to {@link S3Router}; Actuator's endpoints are mapped ahead of this route. */
@Configuration
class S3Routes {
    @Bean
    RouterFunction<ServerResponse> s3(S3Router router) {
        return RouterFunctions.route(RequestPredicates.all(), router::handle);
    }
}
