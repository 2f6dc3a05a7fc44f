package io.camber.client.nbd;

import io.camber.client.block.BlockDevice;
import io.camber.common.CamberException;
import java.util.List;
import java.util.Optional;

/**
 * Maps NBD export names to block devices, so the server knows nothing about where a device lives
 * (Camber maps export names to volume paths).
 */
public interface ExportResolver {
    /**
     * Opens the device behind an export for IO; the caller owns it and closes it.
     *
     * @throws CamberException with {@link io.camber.common.ErrorCode#NOT_FOUND} when no export has that name
     */
    BlockDevice open(String exportName, boolean readOnly);

    /**
     * The device behind an export, only to tell its size and mode ({@code NBD_OPT_INFO}): it never takes a write
     * lease or fences a writer, and should cost the backend no write. The default opens it read-only.
     */
    default BlockDevice probe(String exportName) {
        return open(exportName, true);
    }

    /** The exports a client may list; may omit exports it does not want advertised. */
    List<ExportInfo> list();

    /**
     * The entry for one export, used to answer {@code NBD_OPT_INFO} (description, read-only flag) without
     * opening the export read-write; the default searches {@link #list()}.
     */
    default Optional<ExportInfo> find(String exportName) {
        return list().stream().filter(e -> e.name().equals(exportName)).findFirst();
    }
}
