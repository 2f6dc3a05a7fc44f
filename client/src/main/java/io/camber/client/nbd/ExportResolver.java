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
     * Opens the device behind an export; the caller owns it and closes it.
     *
     * <p>The NBD server opens with {@code readOnly = true} to answer {@code NBD_OPT_INFO} probes, so a probe
     * never takes a volume's write lease or fences its current writer.
     *
     * @throws CamberException with {@link io.camber.common.ErrorCode#NOT_FOUND} when no export has that name
     */
    BlockDevice open(String exportName, boolean readOnly);

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
