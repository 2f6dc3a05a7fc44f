package io.camber.mds;

import io.camber.server.raft.RatisProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.time.Clock;

/** The metadata server: topology, volume namespace, sessions and epochs, replicated with Ratis. */
@SpringBootApplication
@EnableConfigurationProperties(MdsProperties.class)
public class MdsApplication {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    public static void main(String[] args) {
        RatisProperties.prepareJvm();
        SpringApplication.run(MdsApplication.class, args);
    }
}
