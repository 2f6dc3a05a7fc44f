package io.camber.mds.gc.web;

import io.camber.common.CamberException;
import io.camber.common.api.ChunkGarbage;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsQuery;
import io.camber.mds.raft.MdsReplication;
import io.camber.mds.web.Requests;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * Where chunk servers collect the chunks of deleted volumes: each asks for the garbage on its copysets, deletes
 * it through the copysets it leads, and reports what it deleted so the MDS forgets it.
 */
@RestController
@RequestMapping("/api/v1/chunkservers/{id}/garbage")
public class GarbageController {
    private final MdsReplication mds;

    public GarbageController(MdsReplication mds) {
        this.mds = mds;
    }

    /** At most limit (1000 by default and at most) chunks of deleted volumes on the chunk server's copysets. */
    @GetMapping
    public Mono<List<ChunkGarbage>> pending(@PathVariable long id, @RequestParam(required = false) Integer limit) {
        return mds.query(new MdsQuery.GarbageOf(id, Requests.pageLimit(limit)), ChunkGarbage[].class).map(List::of);
    }

    /** Forgets chunks the chunk server deleted; answers how many were still recorded. */
    @PostMapping("/deleted")
    public Mono<Map<String, Integer>> deleted(@PathVariable long id, @RequestBody List<ChunkGarbage> deleted) {
        if (deleted == null || deleted.size() > 1000) {
            throw CamberException.invalid("give a list of at most 1000 deleted chunks, as the garbage listing"
                    + " returned them");
        }
        return mds.submit(new MdsCommand.ForgetGarbage(deleted), Integer.class).map(n -> Map.of("forgotten", n));
    }
}
