package io.camber.client.nbd;

import java.util.Objects;

/** One export as {@code NBD_OPT_LIST} shows it: the name clients connect to and a human-readable description. */
public record ExportInfo(String name, String description) {
    public ExportInfo {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
    }
}
