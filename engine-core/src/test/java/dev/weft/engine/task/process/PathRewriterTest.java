package dev.weft.engine.task.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathRewriterTest {

    private static final String HOST = "/w/task-1";

    private final PathRewriter rewriter = new PathRewriter(List.of("/tmp", "/data/out", "/data/out/sub", "/mnt/out"),
            p -> HOST + "/root" + p, HOST);

    @Test
    void wholePathOccurrencesAreRewritten() {
        assertThat(rewriter.rewrite("echo hi > /tmp/out.txt && cat /data/out"))
                .isEqualTo("echo hi > /w/task-1/root/tmp/out.txt && cat /w/task-1/root/data/out");
        assertThat(rewriter.rewrite("/tmp")).isEqualTo("/w/task-1/root/tmp");
        assertThat(rewriter.rewrite("TMP=/tmp:'/mnt/out'\n\"/tmp/x\""))
                .isEqualTo("TMP=/w/task-1/root/tmp:'/w/task-1/root/mnt/out'\n\"/w/task-1/root/tmp/x\"");
        assertThat(rewriter.rewrite("open('/data/out/result.json')"))
                .isEqualTo("open('/w/task-1/root/data/out/result.json')");
    }

    @Test
    void pathsThatOnlyContainAnOwnedPathAreLeftAlone() {
        String untouched = "/var/tmp/x /tmpx /data/outer ${HOME}/tmp $(pwd)/tmp ./tmp ~/tmp a/tmp /usr/data/out";
        assertThat(rewriter.rewrite(untouched)).isEqualTo(untouched);
    }

    @Test
    void longestOwnedPathWinsAndEachOccurrenceIsRewrittenOnce() {
        PathRewriter nested = new PathRewriter(List.of("/data", "/data/out"),
                p -> p.equals("/data/out") ? "/elsewhere/out" : "/w/data", "/w");
        assertThat(nested.rewrite("/data/out/x /data/in")).isEqualTo("/elsewhere/out/x /w/data/in");
    }

    @Test
    void textAlreadyNamingTheTaskDirectoryIsNotRewrittenAgain() {
        PathRewriter underTmp = new PathRewriter(List.of("/tmp"), p -> "/tmp/weft/t1/root" + p, "/tmp/weft/t1");
        String once = underTmp.rewrite("/tmp/out");
        assertThat(once).isEqualTo("/tmp/weft/t1/root/tmp/out");
        assertThat(underTmp.rewrite(once)).isEqualTo(once);
    }

    @Test
    void noOwnedPathsMeansIdentity() {
        PathRewriter none = new PathRewriter(List.of(), p -> "/x" + p, "/x");
        assertThat(none.rewrite("/tmp/out")).isEqualTo("/tmp/out");
    }
}
