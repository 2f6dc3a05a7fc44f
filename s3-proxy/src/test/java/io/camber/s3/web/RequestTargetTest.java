package io.camber.s3.web;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class RequestTargetTest {

    @Test
    void splitsPathStyleRequestsIntoBucketKeyAndDecodedQuery() {
        RequestTarget t = RequestTarget.of(URI.create("/bucket/dir/a%20b%2Bc?list-type=2&prefix=dir%2F&uploads"));
        assertThat(t.bucket()).isEqualTo("bucket");
        assertThat(t.key()).isEqualTo("dir/a b+c");
        assertThat(t.param("prefix")).isEqualTo("dir/");
        assertThat(t.has("uploads")).isTrue();
        assertThat(t.param("uploads")).isEmpty();

        assertThat(RequestTarget.of(URI.create("/")).bucket()).isNull();
        RequestTarget bucketOnly = RequestTarget.of(URI.create("/bucket/"));
        assertThat(bucketOnly.bucket()).isEqualTo("bucket");
        assertThat(bucketOnly.key()).isNull();
    }
}
