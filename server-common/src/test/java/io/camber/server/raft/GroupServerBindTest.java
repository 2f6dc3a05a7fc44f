package io.camber.server.raft;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Raft server listens on the address it is given, not on every interface. */
class GroupServerBindTest {

    @Test
    void theRaftPortAnswersOnItsOwnAddressOnly(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (GroupServer server = new GroupServer("bind-test", RatisProperties.server(RaftSettings.defaults(),
                "127.0.0.1", port, dir), gid -> new BaseStateMachine(), null)) {
            assertThatCode(() -> connect("127.0.0.1", port)).doesNotThrowAnyException();
            // Another loopback address of this host: a server bound to every interface would answer there too.
            assertThatThrownBy(() -> connect("127.0.0.2", port)).isInstanceOf(IOException.class);
        }
    }

    private static void connect(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
        }
    }
}
