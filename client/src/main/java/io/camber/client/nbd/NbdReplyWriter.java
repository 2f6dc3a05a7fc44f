package io.camber.client.nbd;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The one thread that writes simple replies to a connection's socket, in the order requests complete.
 *
 * <p>A queue and a dedicated thread, rather than writing under a lock from the completing future: device
 * futures complete on Camber's IO threads (possibly Netty event loops), which must never block on a slow NBD
 * client's TCP window. The queue is bounded by the connection's in-flight limits, since a request's permits
 * are released only once its reply has been written.
 */
final class NbdReplyWriter implements Runnable {
    /** A simple reply; data is sent only when error is 0; release runs once the reply is written or dropped. */
    record Reply(long cookie, int error, ByteBuffer data, Runnable release) {
    }

    private static final Reply END = new Reply(0, 0, null, () -> { });

    private final BlockingQueue<Reply> queue = new LinkedBlockingQueue<>();
    private final OutputStream out;
    private final Runnable onBroken;
    private final byte[] header = new byte[16];
    private volatile boolean broken;

    NbdReplyWriter(OutputStream out, Runnable onBroken) {
        this.out = out;
        this.onBroken = onBroken;
    }

    void send(Reply reply) {
        queue.add(reply);
    }

    /** Asks the thread to flush and stop once every reply queued so far has been written. */
    void finish() {
        queue.add(END);
    }

    @Override
    public void run() {
        while (true) {
            Reply reply;
            try {
                reply = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                if (reply == END) {
                    if (!broken) {
                        out.flush();
                    }
                    return;
                }
                if (!broken) {
                    write(reply);
                    if (queue.isEmpty()) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                broken = true;
                onBroken.run();
            } finally {
                reply.release().run();
            }
        }
    }

    private void write(Reply reply) throws IOException {
        ByteBuffer h = ByteBuffer.wrap(header);
        h.putInt(NbdProtocol.SIMPLE_REPLY_MAGIC).putInt(reply.error()).putLong(reply.cookie());
        out.write(header);
        ByteBuffer data = reply.data();
        if (reply.error() != 0 || data == null) {
            return;
        }
        if (data.hasArray()) {
            out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
            return;
        }
        byte[] chunk = new byte[Math.min(64 << 10, data.remaining())];
        ByteBuffer source = data.duplicate();
        while (source.hasRemaining()) {
            int n = Math.min(chunk.length, source.remaining());
            source.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }
}
