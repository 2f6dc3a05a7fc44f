package io.camber.mds.auth;

import io.camber.common.auth.ApiRole;
import io.camber.mds.raft.MdsReplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wires authentication: the authenticator over config and stored keys, and the filter in front of /api/**. */
@Configuration
@EnableConfigurationProperties(AuthProperties.class)
public class AuthSetup {

    @Bean
    Authenticator authenticator(AuthProperties props, MdsReplication mds) {
        Map<String, ApiRole> configured = new LinkedHashMap<>();
        configured.put(props.adminKey(), ApiRole.ADMIN);
        configured.put(props.serviceKey(), ApiRole.SERVICE);
        return new Authenticator(configured, () -> mds.stateMachine().auth());
    }

    @Bean
    @ConditionalOnProperty(name = "camber.auth.enabled", havingValue = "true", matchIfMissing = true)
    ApiKeyFilter apiKeyFilter(Authenticator authenticator) {
        return new ApiKeyFilter(authenticator, AccessPolicy.standard());
    }
}
