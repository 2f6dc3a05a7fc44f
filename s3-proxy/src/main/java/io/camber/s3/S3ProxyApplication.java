package io.camber.s3;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the Camber s3-proxy. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class S3ProxyApplication {

    public static void main(String[] args) {
        SpringApplication.run(S3ProxyApplication.class, args);
    }
}
