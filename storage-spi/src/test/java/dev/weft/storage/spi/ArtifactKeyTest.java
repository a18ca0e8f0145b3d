package dev.weft.storage.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ArtifactKeyTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "wf/pod/main.tgz", "dir with space/ünïcødé 文件.txt", ".hidden/x", "a..b/c"})
    void acceptsRelativeKeysWithoutDotSegments(String value) {
        assertThat(ArtifactKey.of(value).value()).isEqualTo(value);
        assertThat(ArtifactKey.isValid(value)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|must not be empty",
        "/abs/key|must be relative",
        "a/../b|contains a '..' segment",
        "..|contains a '..' segment",
        "./a|contains a '.' segment",
        "a//b|empty segment",
        "a/|must not end with '/'",
        "a\\b|backslash",
    })
    void rejectsUnsafeKeysSayingWhy(String value, String why) {
        assertThatThrownBy(() -> ArtifactKey.of(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
        assertThat(ArtifactKey.isValid(value)).isFalse();
    }

    @Test
    void rejectsControlCharactersAndShowsThemEscaped() {
        assertThatThrownBy(() -> ArtifactKey.of("a\nb"))
                .hasMessageContaining("control character at index 1")
                .hasMessageContaining("a\\u000ab");
        assertThatThrownBy(() -> ArtifactKey.of("a\u0000b")).hasMessageContaining("control character");
    }

    @Test
    void rejectsOverlongKeys() {
        assertThatThrownBy(() -> ArtifactKey.of("k".repeat(ArtifactKey.MAX_LENGTH + 1)))
                .hasMessageContaining("longer than");
    }

    @Test
    void resolvesChildrenAndNamesTheLastSegment() {
        ArtifactKey key = ArtifactKey.of("wf/pod").resolve("main.tgz");
        assertThat(key.value()).isEqualTo("wf/pod/main.tgz");
        assertThat(key.fileName()).isEqualTo("main.tgz");
        assertThatThrownBy(() -> ArtifactKey.of("wf").resolve("../x")).isInstanceOf(IllegalArgumentException.class);
    }
}
