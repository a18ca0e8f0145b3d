package dev.weft.engine.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;

/**
 * Parses YAML or JSON text into a Jackson tree within {@link Limits}: the document's size and its longest line are
 * checked before the parser sees it (SnakeYAML's scanner slows down with the square of a line's length, so a 50 MB
 * one-line scalar would take hours), then every key, scalar, nesting level and alias as it is read. Aliases are
 * expanded the way Argo (Go's YAML library) expands them, sharing the anchored subtree instead of copying it, and
 * their expanded size counts against {@link Limits#documentNodes()}, so a "billion laughs" document is refused
 * after a few hundred tokens. Merge keys ({@code <<: *defaults}) are applied.
 *
 * <p>Thread-safe: the factories are configured once and parsers are per call.
 */
final class BoundedTreeReader {

    private static final int SHOWN_KEY = 40;

    private final Limits limits;
    private final YAMLFactory yaml;
    private final JsonFactory json;

    BoundedTreeReader(Limits limits) {
        this.limits = limits;
        // Jackson's own checks sit one step above ours, so ours (which name the limit's key) normally fire first;
        // Jackson's remain as a backstop inside its parsers.
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(saturated(limits.nestingDepth() + 1L))
                .maxStringLength(saturated(limits.scalarSize() + 1L))
                .maxNameLength(saturated(limits.keySize() + 1L))
                .maxDocumentLength(limits.documentSize() + 1)
                .build();
        LoaderOptions loader = new LoaderOptions();
        // SnakeYAML counts the document in code points; the check on characters below comes first.
        loader.setCodePointLimit(saturated(limits.documentSize() + 1));
        loader.setMaxAliasesForCollections(limits.aliases());
        loader.setAllowRecursiveKeys(false);
        loader.setNestingDepthLimit(limits.nestingDepth() + 1);
        this.yaml = new AnchorAwareFactory(YAMLFactory.builder().loaderOptions(loader)
                .streamReadConstraints(constraints));
        this.json = JsonFactory.builder().streamReadConstraints(constraints).build();
    }

    private static int saturated(long v) {
        return (int) Math.min(Integer.MAX_VALUE, v);
    }

    /**
     * The document's tree, or {@code null} for an empty document.
     *
     * @throws WorkflowSpecException naming the source, where, and the limit's key
     */
    JsonNode read(String text, String source, boolean asJson) {
        if (text.length() > limits.documentSize()) {
            throw error(source, "", "the document is " + text.length() + " characters long, above the limit of "
                    + limits.documentSize() + " (" + Limits.PREFIX + "documentSize)");
        }
        if (!asJson) {
            checkLines(text, source);
        }
        JsonParser[] opened = new JsonParser[1];
        try (JsonParser parser = (asJson ? json : yaml).createParser(text)) {
            opened[0] = parser;
            Build b = new Build(parser, source);
            return b.document();
        } catch (StreamConstraintsException e) {
            JsonLocation loc = e.getLocation() != null ? e.getLocation()
                    : opened[0] == null ? null : opened[0].currentLocation();
            throw error(source, where(loc), constraintMessage(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw error(source, where(e.getLocation()), "syntax error: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw error(source, "", "cannot read: " + e.getMessage());
        }
    }

    private void checkLines(String text, String source) {
        int start = 0;
        int line = 1;
        int n = text.length();
        while (start <= n) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            if (end - start > limits.lineLength()) {
                throw error(source, "line " + line, "the line is " + (end - start) + " characters long, above the "
                        + "limit of " + limits.lineLength() + " (" + Limits.PREFIX
                        + "lineLength); split a long value over several lines (a YAML block scalar, | or >)");
            }
            start = end + 1;
            line++;
        }
    }

    /** Jackson's own check fired (inside its JSON parser): the same words as ours, with our limit and key. */
    private String constraintMessage(String jackson) {
        String m = jackson == null ? "" : jackson.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("nesting")) {
            return "lists and maps nested more than " + limits.nestingDepth() + " deep (" + Limits.PREFIX
                    + "nestingDepth)";
        }
        if (m.contains("name length")) {
            return "a mapping key above the limit of " + limits.keySize() + " characters (" + Limits.PREFIX
                    + "keySize)";
        }
        if (m.contains("document length")) {
            return "the document is above the limit of " + limits.documentSize() + " characters (" + Limits.PREFIX
                    + "documentSize)";
        }
        if (m.contains("string value length")) {
            return "a scalar above the limit of " + limits.scalarSize() + " characters (" + Limits.PREFIX
                    + "scalarSize)";
        }
        return "a value beyond the parser's limits: " + jackson;
    }

    private static String where(JsonLocation loc) {
        return loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static WorkflowSpecException error(String source, String path, String message) {
        return new WorkflowSpecException(List.of(new SpecError(source, path, message)));
    }

    /** One parse: the token stream, the path so far (for messages), anchors and the node budget. */
    private final class Build {
        private final JsonParser p;
        private final String source;
        private final JsonNodeFactory nodes = JsonNodeFactory.instance;
        private final Map<String, JsonNode> anchors = new HashMap<>();
        /** Values each anchored subtree stands for, aliases inside it expanded. */
        private final Map<JsonNode, Long> sizes = new java.util.IdentityHashMap<>();
        /** The path as segments: ".key" or "[i]"; joined only for a message. */
        private final List<String> path = new ArrayList<>();
        private long count;
        private int aliasUses;

        Build(JsonParser p, String source) {
            this.p = p;
            this.source = source;
        }

        JsonNode document() throws IOException {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            return value(t, 1);
        }

        /** The value starting at token {@code t}; {@code depth} counts the lists and maps around it, plus one. */
        private JsonNode value(JsonToken t, int depth) throws IOException {
            String anchor = anchor();
            long before = count;
            JsonNode v;
            switch (t) {
                case START_OBJECT -> v = object(depth);
                case START_ARRAY -> v = array(depth);
                default -> v = scalar(t);
            }
            if (anchor != null && v != null) {
                anchors.put(anchor, v);
                sizes.put(v, count - before);
            }
            return v;
        }

        private String anchor() {
            return p instanceof AnchorAwareParser y ? y.anchor() : null;
        }

        private ObjectNode object(int depth) throws IOException {
            nesting(depth);
            charge(1);
            ObjectNode o = nodes.objectNode();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                if (key.length() > limits.keySize()) {
                    throw error(source, at() + "." + shown(key), "a mapping key of " + key.length()
                            + " characters, above the limit of " + limits.keySize() + " (" + Limits.PREFIX
                            + "keySize)");
                }
                path.add("." + shown(key));
                JsonNode v = value(p.nextToken(), depth + 1);
                path.remove(path.size() - 1);
                if (key.equals("<<") && p instanceof YAMLParser) {
                    merge(o, v);
                } else {
                    o.set(key, v);
                }
            }
            expectEnd(t, JsonToken.END_OBJECT);
            return o;
        }

        /** YAML merge keys: the merged maps' entries, unless the map sets them itself (earlier maps win). */
        private void merge(ObjectNode into, JsonNode from) {
            List<JsonNode> sources = new ArrayList<>();
            if (from != null && from.isArray()) {
                from.forEach(sources::add);
            } else {
                sources.add(from);
            }
            for (JsonNode s : sources) {
                if (s == null || !s.isObject()) {
                    throw error(source, at() + ".<<", "a merge key (<<) needs a map or a list of maps");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!into.has(e.getKey())) {
                        into.set(e.getKey(), e.getValue());
                    }
                }
            }
        }

        private ArrayNode array(int depth) throws IOException {
            nesting(depth);
            charge(1);
            ArrayNode a = nodes.arrayNode();
            JsonToken t;
            int i = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                path.add("[" + i++ + "]");
                a.add(value(t, depth + 1));
                path.remove(path.size() - 1);
            }
            expectEnd(t, JsonToken.END_ARRAY);
            return a;
        }

        private void expectEnd(JsonToken t, JsonToken end) {
            if (t != end) {
                throw error(source, where(p.currentLocation()), "syntax error: unexpected end of the document");
            }
        }

        private JsonNode scalar(JsonToken t) throws IOException {
            if (p instanceof YAMLParser y && y.isCurrentAlias()) {
                return alias(p.getText());
            }
            charge(1);
            return switch (t) {
                case VALUE_STRING -> {
                    String s = p.getText();
                    if (s.length() > limits.scalarSize()) {
                        throw error(source, at(), "a scalar of " + s.length() + " characters, above the limit of "
                                + limits.scalarSize() + " (" + Limits.PREFIX + "scalarSize)");
                    }
                    yield nodes.textNode(s);
                }
                case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                    case INT -> nodes.numberNode(p.getIntValue());
                    case LONG -> nodes.numberNode(p.getLongValue());
                    default -> nodes.numberNode(p.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDoubleValue());
                case VALUE_TRUE -> nodes.booleanNode(true);
                case VALUE_FALSE -> nodes.booleanNode(false);
                case VALUE_NULL -> nodes.nullNode();
                case VALUE_EMBEDDED_OBJECT -> nodes.textNode(p.getText());
                default -> throw error(source, where(p.currentLocation()), "syntax error: unexpected " + t);
            };
        }

        private JsonNode alias(String name) {
            if (++aliasUses > limits.aliases()) {
                throw error(source, at(), "more than " + limits.aliases() + " YAML aliases (" + Limits.PREFIX
                        + "aliases)");
            }
            JsonNode target = anchors.get(name);
            if (target == null) {
                throw error(source, at(), "alias *" + shown(name) + " refers to no earlier anchor &" + shown(name)
                        + " (an alias inside its own anchor is not allowed)");
            }
            // shared, not copied: the budget counts what readers of the tree will walk
            charge(sizes.getOrDefault(target, 1L));
            return target;
        }

        private void nesting(int depth) {
            if (depth > limits.nestingDepth()) {
                throw error(source, at(), "lists and maps nested more than " + limits.nestingDepth()
                        + " deep (" + Limits.PREFIX + "nestingDepth)");
            }
        }

        private void charge(long values) {
            count += values;
            if (count > limits.documentNodes()) {
                throw error(source, at(), "the document holds more than " + limits.documentNodes()
                        + " values" + (aliasUses > 0 ? " once its aliases are expanded" : "") + " ("
                        + Limits.PREFIX + "documentNodes)");
            }
        }

        private String at() {
            List<String> shownPath = path.size() <= 12 ? path : new ArrayList<>(path.subList(0, 6));
            if (shownPath != path) {
                shownPath.add("...(" + (path.size() - 9) + " more)...");
                shownPath.addAll(path.subList(path.size() - 3, path.size()));
            }
            String s = String.join("", shownPath);
            return s.startsWith(".") ? s.substring(1) : s;
        }
    }

    /** Makes {@link AnchorAwareParser}s: Jackson's YAML parser tells the anchors of lists and maps only. */
    private static final class AnchorAwareFactory extends YAMLFactory {
        private static final long serialVersionUID = 1L;

        AnchorAwareFactory(YAMLFactoryBuilder builder) {
            super(builder);
        }

        @Override
        protected YAMLParser _createParser(Reader r, IOContext ctxt) {
            return new AnchorAwareParser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec,
                    r);
        }

        @Override
        protected YAMLParser _createParser(char[] data, int offset, int len, IOContext ctxt, boolean recyclable) {
            return _createParser(new CharArrayReader(data, offset, len), ctxt);
        }
    }

    /** Jackson's YAML parser that also tells the anchor of the current scalar. */
    private static final class AnchorAwareParser extends YAMLParser {
        AnchorAwareParser(IOContext ctxt, int parserFeatures, int formatFeatures, LoaderOptions loader,
                          ObjectCodec codec, Reader reader) {
            super(ctxt, parserFeatures, formatFeatures, loader, codec, reader);
        }

        /** The anchor ({@code &name}) of the value the parser is at, or null; never an alias's name. */
        String anchor() {
            Event e = _lastEvent;
            return e instanceof NodeEvent n && !(e instanceof AliasEvent) ? n.getAnchor() : null;
        }
    }

    private static String shown(String key) {
        return key.length() <= SHOWN_KEY ? key : key.substring(0, SHOWN_KEY) + "...";
    }
}
