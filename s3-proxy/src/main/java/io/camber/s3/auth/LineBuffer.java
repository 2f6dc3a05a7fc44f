package io.camber.s3.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Collects one CRLF-terminated line of {@code aws-chunked} framing across feeds, refusing lines over a bound. */
final class LineBuffer {

    private final byte[] bytes;
    private int length;

    LineBuffer(int maxLength) {
        this.bytes = new byte[maxLength];
    }

    /**
     * Consumes bytes of {@code in} up to and including the next LF.
     *
     * @return true when a whole line is collected (then read it with {@link #take})
     */
    boolean fill(ByteBuffer in, String what) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (length == bytes.length) {
                throw new S3AuthException(S3AuthError.INVALID_REQUEST, "The " + what + " line is longer than "
                        + bytes.length + " bytes; the aws-chunked framing is malformed");
            }
            bytes[length++] = b;
            if (b == '\n') {
                return true;
            }
        }
        return false;
    }

    /** The collected line without its CRLF; the buffer is empty afterwards. */
    String take(String what) {
        if (length < 2 || bytes[length - 2] != '\r') {
            throw new S3AuthException(S3AuthError.INVALID_REQUEST, "The " + what + " line must end with CRLF;"
                    + " the aws-chunked framing is malformed");
        }
        String line = new String(bytes, 0, length - 2, StandardCharsets.ISO_8859_1);
        length = 0;
        return line;
    }
}
