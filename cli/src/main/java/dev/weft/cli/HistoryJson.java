package dev.weft.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weft.engine.history.StoredNode;
import dev.weft.engine.history.StoredRun;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The {@code --output json} form of recorded runs and nodes: plain maps, times as ISO-8601 text. */
final class HistoryJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HistoryJson() {
    }

    static Map<String, Object> run(StoredRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("phase", r.phase().argoName());
        m.put("outcome", r.outcome().map(o -> o.name().toLowerCase(Locale.ROOT)).orElse(null));
        m.put("message", r.message());
        m.put("createdAt", r.createdAt().toString());
        m.put("startedAt", time(r.startedAt()));
        m.put("finishedAt", time(r.finishedAt()));
        m.put("arguments", r.arguments());
        m.put("labels", r.labels());
        return m;
    }

    static Map<String, Object> node(StoredNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.id());
        m.put("name", n.name());
        m.put("displayName", n.displayName());
        m.put("type", n.type().name());
        m.put("templateName", n.templateName());
        m.put("phase", n.phase().argoName());
        m.put("message", n.message());
        m.put("parentId", n.parentId().orElse(null));
        m.put("attempt", n.attempt());
        m.put("startedAt", time(n.startedAt()));
        m.put("finishedAt", time(n.finishedAt()));
        m.put("exitCode", n.exitCode().orElse(null));
        m.put("outputs", Map.of("parameters", n.parameters(), "result", n.result().orElse("")));
        Map<String, String> artifacts = new LinkedHashMap<>();
        n.artifacts().forEach((k, v) -> artifacts.put(k, v.key()));
        m.put("artifacts", artifacts);
        return m;
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static List<Map<String, Object>> runs(List<StoredRun> runs) {
        return runs.stream().map(HistoryJson::run).toList();
    }

    private static String time(Optional<Instant> t) {
        return t.map(Instant::toString).orElse(null);
    }
}
