package io.camber.cli.volume;

import io.camber.cli.render.Table;
import io.camber.common.ByteSizes;
import io.camber.common.api.EntryInfo;
import io.camber.common.api.EntryType;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

/** Human renderings of namespace entries: an ls-style table and a stat block. */
public final class EntryView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private EntryView() {
    }

    /** Directories first, then volumes, each sorted by name; sizes in binary units. */
    public static String listing(List<EntryInfo> entries) {
        Table table = new Table("NAME", "TYPE", "SIZE", "POOL", "OWNER", "EPOCH", "CREATED");
        entries.stream()
                .sorted(Comparator.comparing((EntryInfo e) -> e.type() != EntryType.DIRECTORY)
                        .thenComparing(e -> name(e.path())))
                .forEach(e -> {
                    boolean dir = e.type() == EntryType.DIRECTORY;
                    table.row(name(e.path()) + (dir ? "/" : ""), e.type(), dir ? null : ByteSizes.format(e.size()),
                            dir ? null : e.pool(), e.owner(), dir ? null : e.epoch(), time(e.createdAtMillis()));
                });
        return table.isEmpty() ? "(empty)\n" : table.render();
    }

    /** The path on the first line, then one aligned key/value line per attribute. */
    public static String stat(EntryInfo e) {
        String head = e.path() + "\n";
        if (e.type() == EntryType.DIRECTORY) {
            return head + indent(Table.keyValues("type", e.type(), "id", e.id(), "owner", e.owner(),
                    "created", time(e.createdAtMillis())));
        }
        return head + indent(Table.keyValues(
                "type", e.type(),
                "id", e.id(),
                "size", ByteSizes.format(e.size()) + " (" + e.size() + " bytes)",
                "pool", e.pool(),
                "owner", e.owner(),
                "chunk size", ByteSizes.format(e.chunkSize()),
                "segment size", ByteSizes.format(e.segmentSize()),
                "epoch", e.epoch(),
                "created", time(e.createdAtMillis())));
    }

    static String name(String path) {
        if (path == null || path.equals("/")) {
            return "/";
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String time(long millis) {
        return millis <= 0 ? null : TIME.format(Instant.ofEpochMilli(millis));
    }

    private static String indent(String text) {
        return text.lines().map(l -> "  " + l + "\n").reduce("", String::concat);
    }
}
