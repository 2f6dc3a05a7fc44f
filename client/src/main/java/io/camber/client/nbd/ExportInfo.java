package io.camber.client.nbd;

import java.util.Objects;

/**
 * One export as {@code NBD_OPT_LIST} and {@code NBD_OPT_INFO} show it: the name clients connect to, a
 * human-readable description, and whether it is read-only however it is opened (a snapshot, say).
 */
public record ExportInfo(String name, String description, boolean readOnly) {
    public ExportInfo {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
    }

    /** A writable export. */
    public ExportInfo(String name, String description) {
        this(name, description, false);
    }
}
