package io.camber.client.nbd;

import static io.camber.client.nbd.NbdProtocol.*;

import io.camber.client.block.BlockDevice;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fixed newstyle negotiation on one connection: greets the client, answers options until one of
 * {@code NBD_OPT_EXPORT_NAME} or {@code NBD_OPT_GO} selects an export, and hands that export's open device on.
 *
 * <p>Structured replies are refused with {@code NBD_REP_ERR_UNSUP}: this server sends simple replies only,
 * which every client supports, and it has no sparse reads or block status to make structured replies pay off.
 */
final class NbdHandshake {
    private static final Logger log = LoggerFactory.getLogger(NbdHandshake.class);

    /** The export a client chose and the device opened for it; the caller owns the device. */
    record Negotiated(String exportName, BlockDevice device, boolean readOnly, int transmissionFlags) {
    }

    /** A violation after which the stream cannot be trusted: the connection is dropped. */
    static final class ProtocolViolation extends IOException {
        ProtocolViolation(String message) {
            super(message);
        }
    }

    private final DataInputStream in;
    private final DataOutputStream out;
    private final ExportResolver resolver;
    private final boolean serverReadOnly;
    private final boolean multiConn;
    private final long connectionId;
    private boolean noZeroes;

    NbdHandshake(DataInputStream in, DataOutputStream out, ExportResolver resolver, boolean serverReadOnly,
            boolean multiConn, long connectionId) {
        this.in = in;
        this.out = out;
        this.resolver = resolver;
        this.serverReadOnly = serverReadOnly;
        this.multiConn = multiConn;
        this.connectionId = connectionId;
    }

    /** Runs the negotiation; returns the chosen export, or null when the client aborted or chose nothing usable. */
    Negotiated negotiate() throws IOException {
        out.writeLong(NBDMAGIC);
        out.writeLong(IHAVEOPT);
        out.writeShort(FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES);
        out.flush();
        int clientFlags = in.readInt();
        if ((clientFlags & ~(FLAG_C_FIXED_NEWSTYLE | FLAG_C_NO_ZEROES)) != 0
                || (clientFlags & FLAG_C_FIXED_NEWSTYLE) == 0) {
            throw new ProtocolViolation("client flags 0x" + Integer.toHexString(clientFlags)
                    + " unsupported: this server speaks fixed newstyle only");
        }
        noZeroes = (clientFlags & FLAG_C_NO_ZEROES) != 0;
        while (true) {
            if (in.readLong() != IHAVEOPT) {
                throw new ProtocolViolation("option without IHAVEOPT magic");
            }
            int option = in.readInt();
            int length = in.readInt();
            if (length < 0 || length > MAX_OPTION_LENGTH) {
                throw new ProtocolViolation("option " + option + " length " + Integer.toUnsignedString(length)
                        + " exceeds " + MAX_OPTION_LENGTH);
            }
            byte[] data = in.readNBytes(length);
            if (data.length != length) {
                throw new java.io.EOFException("client closed during option " + option);
            }
            switch (option) {
                case OPT_EXPORT_NAME -> {
                    return exportName(new String(data, StandardCharsets.UTF_8));
                }
                case OPT_ABORT -> {
                    reply(option, REP_ACK, new byte[0]);
                    log.info("event=nbd_abort connection={}", connectionId);
                    return null;
                }
                case OPT_LIST -> list(option, data);
                case OPT_INFO, OPT_GO -> {
                    Negotiated chosen = infoOrGo(option, ByteBuffer.wrap(data));
                    if (chosen != null) {
                        return chosen;
                    }
                }
                case OPT_STRUCTURED_REPLY -> error(option, REP_ERR_UNSUP, "structured replies are not supported; "
                        + "continue with simple replies");
                default -> error(option, REP_ERR_UNSUP, "option " + option + " is not supported by the Camber NBD "
                        + "server; use NBD_OPT_GO, NBD_OPT_INFO, NBD_OPT_LIST or NBD_OPT_EXPORT_NAME");
            }
        }
    }

    private Negotiated exportName(String name) throws IOException {
        BlockDevice device;
        try {
            device = resolver.open(name, serverReadOnly);
        } catch (RuntimeException e) {
            // NBD_OPT_EXPORT_NAME cannot answer with an error: the spec says to end the session.
            log.info("event=nbd_export_refused connection={} export={} option=EXPORT_NAME cause={}", connectionId,
                    name, e.getMessage());
            return null;
        }
        boolean readOnly = serverReadOnly || device.readOnly();
        int flags = transmissionFlags(readOnly, multiConn);
        out.writeLong(device.size());
        out.writeShort(flags);
        if (!noZeroes) {
            out.write(new byte[124]);
        }
        out.flush();
        return new Negotiated(name, device, readOnly, flags);
    }

    private void list(int option, byte[] data) throws IOException {
        if (data.length != 0) {
            error(option, REP_ERR_INVALID, "NBD_OPT_LIST takes no data");
            return;
        }
        List<ExportInfo> exports;
        try {
            exports = resolver.list();
        } catch (RuntimeException e) {
            error(option, REP_ERR_POLICY, "listing exports failed: " + e.getMessage() + "; retry later");
            return;
        }
        for (ExportInfo export : exports) {
            byte[] name = export.name().getBytes(StandardCharsets.UTF_8);
            byte[] description = export.description().getBytes(StandardCharsets.UTF_8);
            ByteBuffer body = ByteBuffer.allocate(4 + name.length + description.length);
            body.putInt(name.length).put(name).put(description);
            reply(option, REP_SERVER, body.array());
        }
        reply(option, REP_ACK, new byte[0]);
    }

    /** Answers INFO (device opened read-only, then closed) or GO (device kept); null means keep negotiating. */
    private Negotiated infoOrGo(int option, ByteBuffer data) throws IOException {
        InfoRequest request = InfoRequest.parse(data);
        if (request == null) {
            error(option, REP_ERR_INVALID, "malformed NBD_OPT_INFO/NBD_OPT_GO payload");
            return null;
        }
        boolean go = option == OPT_GO;
        BlockDevice device;
        try {
            device = go ? resolver.open(request.name(), serverReadOnly) : resolver.probe(request.name());
        } catch (CamberException e) {
            int type = e.code() == ErrorCode.INVALID_ARGUMENT ? REP_ERR_INVALID : REP_ERR_UNKNOWN;
            log.info("event=nbd_export_refused connection={} export={} option={} code={}", connectionId,
                    request.name(), go ? "GO" : "INFO", e.code());
            error(option, type, "export '" + request.name() + "' is not available: " + e.getMessage()
                    + (e.code() == ErrorCode.NOT_FOUND ? "; list exports with NBD_OPT_LIST" : ""));
            return null;
        } catch (RuntimeException e) {
            log.warn("event=nbd_export_open_failed connection={} export={} cause={}", connectionId,
                    request.name(), e.toString());
            error(option, REP_ERR_UNKNOWN, "export '" + request.name() + "' could not be opened: " + e.getMessage()
                    + "; retry later");
            return null;
        }
        ExportInfo listed = find(request.name());
        // INFO predicts the mode GO would get from the listing, since its probe is opened read-only so it
        // never takes a volume's write lease or fences its writer.
        boolean readOnly = serverReadOnly || (go ? device.readOnly() : listed != null && listed.readOnly());
        int flags = transmissionFlags(readOnly, multiConn);
        try {
            sendInfo(option, request, device.size(), flags, listed);
        } catch (IOException | RuntimeException e) {
            device.close();
            throw e;
        }
        if (go) {
            return new Negotiated(request.name(), device, readOnly, flags);
        }
        device.close();
        return null;
    }

    private void sendInfo(int option, InfoRequest request, long size, int flags, ExportInfo listed)
            throws IOException {
        ByteBuffer export = ByteBuffer.allocate(12).putShort((short) INFO_EXPORT).putLong(size)
                .putShort((short) flags);
        reply(option, REP_INFO, export.array());
        // Sent even when not asked: the spec lets a server state its block sizes unrequested, and
        // libnbd and qemu then keep requests 512-byte aligned.
        ByteBuffer blockSize = ByteBuffer.allocate(14).putShort((short) INFO_BLOCK_SIZE).putInt(MIN_BLOCK)
                .putInt(PREFERRED_BLOCK).putInt(MAX_PAYLOAD);
        reply(option, REP_INFO, blockSize.array());
        if (request.wants(INFO_NAME)) {
            reply(option, REP_INFO, infoString(INFO_NAME, request.name()));
        }
        if (request.wants(INFO_DESCRIPTION) && listed != null && !listed.description().isEmpty()) {
            reply(option, REP_INFO, infoString(INFO_DESCRIPTION, listed.description()));
        }
        reply(option, REP_ACK, new byte[0]);
    }

    /** The export's listing entry, or null when it is unlisted or the listing fails (INFO still answers). */
    private ExportInfo find(String name) {
        try {
            return resolver.find(name).orElse(null);
        } catch (RuntimeException e) {
            log.debug("event=nbd_export_lookup_failed connection={} export={} cause={}", connectionId, name,
                    e.toString());
            return null;
        }
    }

    private static byte[] infoString(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + bytes.length).putShort((short) type).put(bytes).array();
    }

    private void error(int option, int type, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        reply(option, type, bytes.length > MAX_STRING ? java.util.Arrays.copyOf(bytes, MAX_STRING) : bytes);
    }

    private void reply(int option, int type, byte[] data) throws IOException {
        out.writeLong(OPTION_REPLY_MAGIC);
        out.writeInt(option);
        out.writeInt(type);
        out.writeInt(data.length);
        out.write(data);
        out.flush();
    }

    /** The payload of NBD_OPT_INFO and NBD_OPT_GO: an export name and the information types asked for. */
    record InfoRequest(String name, short[] requests) {
        static InfoRequest parse(ByteBuffer data) {
            if (data.remaining() < 6) {
                return null;
            }
            int nameLength = data.getInt();
            if (nameLength < 0 || nameLength > MAX_STRING || nameLength > data.remaining() - 2) {
                return null;
            }
            byte[] name = new byte[nameLength];
            data.get(name);
            int count = Short.toUnsignedInt(data.getShort());
            if (data.remaining() != count * 2) {
                return null;
            }
            short[] requests = new short[count];
            for (int i = 0; i < count; i++) {
                requests[i] = data.getShort();
            }
            return new InfoRequest(new String(name, StandardCharsets.UTF_8), requests);
        }

        boolean wants(int type) {
            for (short r : requests) {
                if (r == type) {
                    return true;
                }
            }
            return false;
        }
    }
}
