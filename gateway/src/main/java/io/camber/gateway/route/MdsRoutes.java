package io.camber.gateway.route;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory.RetryConfig;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

/**
 * Routes the admin API and its OpenAPI description to {@code lb://mds}, the instances listed under
 * {@code spring.cloud.discovery.client.simple.instances.mds}.
 *
 * <p>Any MDS serves any request (followers carry it to the Raft leader), so a failed attempt is simply
 * tried on the next instance. Retries are split by what is safe to repeat: idempotent methods are
 * retried on any IO failure and on 503 (no leader yet), while POST and PATCH are retried only when the
 * connection was never made, because then the MDS cannot have applied them.
 */
@Configuration(proxyBeanMethods = false)
public class MdsRoutes {

    /** Service id of the MDS group in the discovery client and load balancer. */
    public static final String MDS_SERVICE_ID = "mds";

    /** Route id, also the {@code routeId} tag of the gateway's request metrics. */
    public static final String ROUTE_ID = "mds-admin-api";

    private static final int RETRIES = 3;

    @Bean
    RouteLocator mdsRouteLocator(RouteLocatorBuilder builder) {
        return builder.routes()
                .route(ROUTE_ID, route -> route
                        .path("/api/v1/**", "/v3/api-docs", "/v3/api-docs/**")
                        .filters(filters -> filters
                                .retry(MdsRoutes::retryIdempotent)
                                .retry(MdsRoutes::retryUnsentWrites))
                        .uri("lb://" + MDS_SERVICE_ID))
                .build();
    }

    private static void retryIdempotent(RetryConfig config) {
        config.setRetries(RETRIES)
                .setMethods(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE)
                .setSeries()
                .setStatuses(HttpStatus.SERVICE_UNAVAILABLE)
                .setExceptions(IOException.class, TimeoutException.class);
    }

    private static void retryUnsentWrites(RetryConfig config) {
        config.setRetries(RETRIES)
                .setMethods(HttpMethod.POST, HttpMethod.PATCH)
                .setSeries()
                .setExceptions(ConnectException.class);
    }
}
