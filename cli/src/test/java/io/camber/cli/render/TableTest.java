package io.camber.cli.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void padsColumnsToTheWidestCellAndPrintsNullAsDash() {
        String text = new Table("NAME", "SIZE", "POOL")
                .row("vol1", "10GiB", "pool1")
                .row("a-much-longer-name", "1GiB", null)
                .render();

        assertThat(text).isEqualTo(
                "NAME                SIZE   POOL\n"
                        + "vol1                10GiB  pool1\n"
                        + "a-much-longer-name  1GiB   -\n");
    }

    @Test
    void leavesNoTrailingSpacesWhenTheLastCellIsShort() {
        String text = new Table("A", "LONGHEADER").row("x", "").render();

        assertThat(text.lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
    }

    @Test
    void refusesRowsOfTheWrongWidth() {
        assertThatThrownBy(() -> new Table("A", "B").row("only one"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 cells");
    }

    @Test
    void alignsKeyValueLines() {
        assertThat(Table.keyValues("size", "10GiB", "chunk size", "16MiB", "pool", null))
                .isEqualTo("size:       10GiB\nchunk size: 16MiB\npool:       -\n");
    }

    @Test
    void humanSizesAreExactWhenTheyCanBeAndRoundedOtherwise() {
        assertThat(HumanSize.of(16L << 20)).isEqualTo("16MiB");
        assertThat(HumanSize.of(100_000_000_000L)).isEqualTo("93.1GiB");
        assertThat(HumanSize.of(512)).isEqualTo("512B");
        assertThat(HumanSize.of(1536)).isEqualTo("1.5KiB");
    }
}
