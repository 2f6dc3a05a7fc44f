package io.camber.server.raft;

import io.camber.common.CamberException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one member of a Raft group lives and who its peers are.
 *
 * @param nodeId            this member's id, one of the peers' keys
 * @param peers             every member of the group: id to host:port of its Raft endpoint
 * @param dataDir           folder for the Raft log, snapshots and RocksDB
 * @param raft              the Ratis settings of the group
 */
public record RaftNodeConfig(String nodeId, Map<String, String> peers, Path dataDir, RaftSettings raft) {

    public RaftNodeConfig {
        if (!peers.containsKey(nodeId)) {
            throw CamberException.invalid("node id '" + nodeId + "' is not among the peers " + peers.keySet()
                    + ": list it in the peers setting as id=host:port");
        }
    }

    /** Parses "mds1=127.0.0.1:8101,mds2=127.0.0.1:8111" into an ordered map. */
    public static Map<String, String> parsePeers(String text) {
        Map<String, String> peers = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0 || item.indexOf(':', eq) < 0) {
                throw CamberException.invalid("peer '" + item + "' is not id=host:port");
            }
            peers.put(item.substring(0, eq), item.substring(eq + 1));
        }
        return peers;
    }

    /** This member's own Raft address. */
    public String address() {
        return peers.get(nodeId);
    }
}
