package io.camber.cli.topology;

import io.camber.cli.CliFailure;
import io.camber.cli.http.Json;
import io.camber.common.api.TopologySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Reads a topology file (YAML or JSON, which is YAML too) into the {@link TopologySpec} the MDS applies. */
public final class TopologyFile {

    private TopologyFile() {
    }

    /** Reads and converts a file, naming the file in every error. */
    public static TopologySpec read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw CliFailure.local("topology file " + file + " does not exist");
        } catch (IOException e) {
            throw CliFailure.local("cannot read topology file " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /**
     * Converts YAML text into a spec. Unknown keys are errors (a misspelt {@code chunkServer} must not silently
     * drop disks); sizes stay strings for the MDS to parse, numbers are accepted for them too.
     */
    public static TopologySpec parse(String yaml, String source) {
        Object tree;
        try {
            tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw CliFailure.local(source + " is not valid YAML: " + e.getMessage());
        }
        if (!(tree instanceof Map<?, ?>)) {
            throw CliFailure.local(source + " must be a mapping with physicalPools and logicalPools, e.g.\n"
                    + "physicalPools:\n  - name: pool1\n    zones: [...]\nlogicalPools:\n  - name: pool1\n    physicalPool: pool1");
        }
        TopologySpec spec;
        try {
            spec = Json.STRICT.convertValue(tree, TopologySpec.class);
        } catch (UnrecognizedPropertyException e) {
            List<String> known = e.getKnownPropertyIds() == null ? List.of()
                    : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            throw CliFailure.local(source + ": unknown key '" + e.getPropertyName() + "' at " + path(e)
                    + (known.isEmpty() ? "" : "; expected one of: " + String.join(", ", known)));
        } catch (JacksonException e) {
            throw CliFailure.local(source + ": " + firstLine(e.getOriginalMessage()) + " at " + path(e));
        } catch (IllegalArgumentException e) {
            throw CliFailure.local(source + ": " + e.getMessage());
        }
        if (spec.physicalPools() == null || spec.physicalPools().isEmpty()) {
            throw CliFailure.local(source + " declares no physicalPools: add at least one with its zones");
        }
        return spec;
    }

    /** The location in the file's terms, e.g. physicalPools[0].zones[1].servers[0].hostname. */
    static String path(JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "the top level" : out.toString();
    }

    private static String firstLine(String text) {
        return text == null ? "invalid value" : text.lines().findFirst().orElse(text);
    }
}
