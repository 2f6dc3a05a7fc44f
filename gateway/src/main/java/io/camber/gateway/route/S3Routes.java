package io.camber.gateway.route;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;

/**
 * Routes S3 to {@code lb://s3}, the s3-proxy instances listed under
 * {@code spring.cloud.discovery.client.simple.instances.s3}: every path the admin API, its OpenAPI description
 * and Actuator do not claim, path-style ({@code /bucket/key}).
 *
 * <p>The Host header is kept, since Signature V4 signs it. Bodies stream through untouched. Only GET and HEAD are
 * retried, on another instance, when the connection failed: a PUT's body has been consumed by then.
 */
@Configuration(proxyBeanMethods = false)
public class S3Routes {

    /** Service id of the s3-proxy instances in the discovery client and load balancer. */
    public static final String S3_SERVICE_ID = "s3";

    /** Route id, also the {@code routeId} tag of the gateway's request metrics. */
    public static final String ROUTE_ID = "s3";

    @Bean
    RouteLocator s3RouteLocator(RouteLocatorBuilder builder) {
        return builder.routes()
                .route(ROUTE_ID, route -> route
                        .order(Ordered.LOWEST_PRECEDENCE) // after the admin API's route, which is more specific
                        .not(p -> p.path("/api/**", "/v3/api-docs", "/v3/api-docs/**", "/actuator", "/actuator/**"))
                        .filters(filters -> filters
                                .preserveHostHeader()
                                .retry(config -> config.setRetries(2)
                                        .setMethods(HttpMethod.GET, HttpMethod.HEAD)
                                        .setSeries()
                                        .setExceptions(IOException.class, TimeoutException.class)))
                        .uri("lb://" + S3_SERVICE_ID))
                .build();
    }
}
