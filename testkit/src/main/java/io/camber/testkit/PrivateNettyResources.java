package io.camber.testkit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives each in-JVM service its own Netty event loops. By default Reactor Netty shares global
 * loops, and stopping one replica's context would dispose them under every other replica.
 */
@Configuration(proxyBeanMethods = false)
public class PrivateNettyResources {

    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        // Stop at once: a test stops and restarts services dozens of times, and each stop would wait out Reactor
        // Netty's default 2 s quiet period with nothing left to run.
        factory.setShutdownQuietPeriod(java.time.Duration.ZERO);
        return factory;
    }
}
