package io.camber.mds.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Names the admin API in the OpenAPI description served at /v3/api-docs. */
@Configuration(proxyBeanMethods = false)
public class OpenApiInfo {

    @Bean
    OpenAPI camberAdminApi() {
        return new OpenAPI().info(new Info().title("Camber MDS admin API").version("v1")
                .description("Topology, volume namespace, segments, sessions and epochs, file systems,"
                        + " meta-services, API keys and S3 access keys. Errors are RFC 9457 problem documents with a"
                        + " stable code; see docs/api.md."));
    }
}
