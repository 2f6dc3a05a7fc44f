package io.camber.chunk.copyset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PreferredLeaderTest {

    @Test
    void preferredLeadersSpreadEvenlyWhateverOrderTheMdsListsTheMembersIn() {
        Random random = new Random(3);
        Map<Long, Integer> led = new TreeMap<>();
        for (int copyset = 1; copyset <= 6; copyset++) {
            List<CopysetPeers.Member> members = new ArrayList<>(List.of(new CopysetPeers.Member(4, "a:1"),
                    new CopysetPeers.Member(7, "b:1"), new CopysetPeers.Member(10, "c:1")));
            Collections.shuffle(members, random);
            CopysetPeers c = new CopysetPeers(11, copyset, members);
            long preferred = CopysetServer.preferredLeader(c);
            Collections.reverse(members);
            assertThat(CopysetServer.preferredLeader(new CopysetPeers(11, copyset, members)))
                    .as("every member computes the same").isEqualTo(preferred);
            led.merge(preferred, 1, Integer::sum);
        }
        assertThat(led).containsExactly(Map.entry(4L, 2), Map.entry(7L, 2), Map.entry(10L, 2));
    }
}
