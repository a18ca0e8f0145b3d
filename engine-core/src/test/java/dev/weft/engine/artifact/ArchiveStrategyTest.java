package dev.weft.engine.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchiveStrategyTest {

    @Test
    void absentOrEmptyArchiveFieldMeansTarGzipAtTheDefaultLevel() {
        assertThat(ArchiveStrategy.fromMap(null)).isEqualTo(new ArchiveStrategy.Tar(-1));
        assertThat(ArchiveStrategy.fromMap(Map.of())).isEqualTo(new ArchiveStrategy.Tar(-1));
        assertThat(ArchiveStrategy.fromMap(Map.of("tar", Map.of()))).isEqualTo(new ArchiveStrategy.Tar(-1));
    }

    @Test
    void argoShapesAreRead() {
        assertThat(ArchiveStrategy.fromMap(Map.of("none", Map.of()))).isEqualTo(new ArchiveStrategy.None());
        assertThat(ArchiveStrategy.fromMap(Map.of("zip", Map.of()))).isEqualTo(new ArchiveStrategy.Zip());
        assertThat(ArchiveStrategy.fromMap(Map.of("tar", Map.of("compressionLevel", 0))))
                .isEqualTo(new ArchiveStrategy.Tar(0));
        assertThat(ArchiveStrategy.fromMap(Map.of("tar", Map.of("compressionLevel", "9"))))
                .isEqualTo(new ArchiveStrategy.Tar(9));
    }

    @Test
    void malformedArchiveFieldsAreErrorsNamingTheField() {
        assertThatThrownBy(() -> ArchiveStrategy.fromMap(Map.of("rar", Map.of())))
                .hasMessageContaining("unknown strategy 'rar'");
        assertThatThrownBy(() -> ArchiveStrategy.fromMap(Map.of("tar", Map.of("compressionLevel", 12))))
                .hasMessageContaining("compressionLevel must be -1..9");
        assertThatThrownBy(() -> ArchiveStrategy.fromMap(Map.of("tar", Map.of("compressionLevel", "fast"))))
                .hasMessageContaining("archive.tar.compressionLevel");
        assertThatThrownBy(() -> ArchiveStrategy.fromMap(Map.of("tar", Map.of(), "zip", Map.of())))
                .hasMessageContaining("exactly one");
    }
}
