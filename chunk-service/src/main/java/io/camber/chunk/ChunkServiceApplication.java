package io.camber.chunk;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the Camber chunk-service. */
@SpringBootApplication
public class ChunkServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChunkServiceApplication.class, args);
    }
}
