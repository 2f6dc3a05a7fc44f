package io.camber.meta;

import io.camber.server.raft.RatisProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Entry point of the Camber meta-service: file-system metadata in partitions, one Ratis group each. */
@SpringBootApplication
@EnableConfigurationProperties(MetaServiceProperties.class)
public class MetaServiceApplication {

    public static void main(String[] args) {
        RatisProperties.prepareJvm();
        SpringApplication.run(MetaServiceApplication.class, args);
    }
}
