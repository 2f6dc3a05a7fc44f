package io.camber.chunk;

import io.camber.server.raft.RatisProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Entry point of the Camber chunk-service: one process per disk, one Ratis group per copyset. */
@SpringBootApplication
@EnableConfigurationProperties(ChunkServiceProperties.class)
public class ChunkServiceApplication {

    public static void main(String[] args) {
        RatisProperties.prepareJvm();
        SpringApplication.run(ChunkServiceApplication.class, args);
    }
}
