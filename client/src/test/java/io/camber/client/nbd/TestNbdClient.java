package io.camber.client.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A small NBD client written from the protocol document, for driving the server byte by byte in tests. */
final class TestNbdClient implements AutoCloseable {
    record OptionReply(int option, int type, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        short infoType() {
            return ByteBuffer.wrap(data).getShort();
        }
    }

    record Reply(int error, long cookie, byte[] data) {
    }

    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;
    final int handshakeFlags;
    private final Map<Long, Integer> readLengths = new ConcurrentHashMap<>();

    private TestNbdClient(Socket socket, int clientFlags) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(20_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        assertThat(in.readLong()).isEqualTo(NbdProtocol.NBDMAGIC);
        assertThat(in.readLong()).isEqualTo(NbdProtocol.IHAVEOPT);
        handshakeFlags = in.readUnsignedShort();
        out.writeInt(clientFlags);
        out.flush();
    }

    /** Connects and answers the greeting with fixed newstyle, and NO_ZEROES when asked. */
    static TestNbdClient connect(int port, boolean noZeroes) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return new TestNbdClient(socket, NbdProtocol.FLAG_C_FIXED_NEWSTYLE | (noZeroes ? NbdProtocol.FLAG_C_NO_ZEROES : 0));
    }

    static TestNbdClient connectWithFlags(int port, int clientFlags) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return new TestNbdClient(socket, clientFlags);
    }

    void option(int option, byte[] data) throws IOException {
        out.writeLong(NbdProtocol.IHAVEOPT);
        out.writeInt(option);
        out.writeInt(data.length);
        out.write(data);
        out.flush();
    }

    OptionReply optionReply() throws IOException {
        assertThat(in.readLong()).isEqualTo(NbdProtocol.OPTION_REPLY_MAGIC);
        int option = in.readInt();
        int type = in.readInt();
        int length = in.readInt();
        return new OptionReply(option, type, in.readNBytes(length));
    }

    /** Reads option replies until an ACK or an error, which is the last element. */
    List<OptionReply> repliesUntilFinal() throws IOException {
        List<OptionReply> replies = new ArrayList<>();
        while (true) {
            OptionReply reply = optionReply();
            replies.add(reply);
            if (reply.type() == NbdProtocol.REP_ACK || reply.type() < 0) {
                return replies;
            }
        }
    }

    List<OptionReply> infoOrGo(int option, String name, int... infos) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = ByteBuffer.allocate(4 + n.length + 2 + 2 * infos.length);
        data.putInt(n.length).put(n).putShort((short) infos.length);
        for (int info : infos) {
            data.putShort((short) info);
        }
        option(option, data.array());
        return repliesUntilFinal();
    }

    /** Sends NBD_OPT_GO and returns the NBD_INFO_EXPORT payload (size, flags) after the ACK. */
    ByteBuffer go(String name) throws IOException {
        List<OptionReply> replies = infoOrGo(NbdProtocol.OPT_GO, name, NbdProtocol.INFO_BLOCK_SIZE);
        assertThat(replies.get(replies.size() - 1).type()).as("GO %s", name).isEqualTo(NbdProtocol.REP_ACK);
        return replies.stream().filter(r -> r.type() == NbdProtocol.REP_INFO && r.infoType() == NbdProtocol.INFO_EXPORT)
                .map(r -> ByteBuffer.wrap(r.data(), 2, 10).slice()).findFirst().orElseThrow();
    }

    void request(int type, int flags, long cookie, long offset, long length, byte[] payload) throws IOException {
        out.writeInt(NbdProtocol.REQUEST_MAGIC);
        out.writeShort(flags);
        out.writeShort(type);
        out.writeLong(cookie);
        out.writeLong(offset);
        out.writeInt((int) length);
        if (payload != null) {
            out.write(payload);
        }
        out.flush();
        if (type == NbdProtocol.CMD_READ) {
            readLengths.put(cookie, (int) length);
        }
    }

    /** Reads the next simple reply; a successful READ reply carries the length its request asked for. */
    Reply reply() throws IOException {
        assertThat(in.readInt()).isEqualTo(NbdProtocol.SIMPLE_REPLY_MAGIC);
        int error = in.readInt();
        long cookie = in.readLong();
        Integer length = readLengths.remove(cookie);
        byte[] data = error == 0 && length != null ? in.readNBytes(length) : new byte[0];
        return new Reply(error, cookie, data);
    }

    int command(int type, long offset, long length) throws IOException {
        request(type, 0, 7, offset, length, null);
        return reply().error();
    }

    int write(long offset, byte[] data) throws IOException {
        request(NbdProtocol.CMD_WRITE, 0, 8, offset, data.length, data);
        return reply().error();
    }

    byte[] read(long offset, int length) throws IOException {
        request(NbdProtocol.CMD_READ, 0, 9, offset, length, null);
        Reply reply = reply();
        assertThat(reply.error()).as("read at %d", offset).isZero();
        return reply.data();
    }

    void disconnect() throws IOException {
        request(NbdProtocol.CMD_DISC, 0, 0, 0, 0, null);
    }

    /** Whether the server has closed the connection (the next read hits end of stream). */
    boolean closedByServer() throws IOException {
        return in.read() == -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
