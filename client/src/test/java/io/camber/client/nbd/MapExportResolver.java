package io.camber.client.nbd;

import io.camber.client.block.BlockDevice;
import io.camber.common.CamberException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Exports backed by in-memory devices; records every open so tests can check the mode asked for. */
final class MapExportResolver implements ExportResolver {
    record Open(String name, boolean readOnly) {
    }

    private final Map<String, MemoryBlockDevice> devices = new LinkedHashMap<>();
    private final Map<String, String> descriptions = new LinkedHashMap<>();
    final List<Open> opens = new CopyOnWriteArrayList<>();
    final List<MemoryBlockDevice> opened = new CopyOnWriteArrayList<>();

    MapExportResolver add(String name, String description, MemoryBlockDevice device) {
        devices.put(name, device);
        descriptions.put(name, description);
        return this;
    }

    MemoryBlockDevice device(String name) {
        return devices.get(name);
    }

    @Override
    public BlockDevice open(String exportName, boolean readOnly) {
        opens.add(new Open(exportName, readOnly));
        MemoryBlockDevice device = devices.get(exportName);
        if (device == null) {
            throw CamberException.notFound("no export named '" + exportName + "'");
        }
        // Callers share the device so holds and failures set by tests apply; opened records each handle.
        opened.add(device);
        return device;
    }

    @Override
    public List<ExportInfo> list() {
        List<ExportInfo> result = new ArrayList<>();
        devices.forEach((name, device) -> result.add(new ExportInfo(name, descriptions.get(name), device.readOnly())));
        return result;
    }
}
