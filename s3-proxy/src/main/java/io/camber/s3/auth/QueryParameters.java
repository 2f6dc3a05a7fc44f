package io.camber.s3.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A raw query string split into decoded name/value pairs, in order, from which the SigV4 canonical query is built. */
final class QueryParameters {

    /** One decoded parameter; a parameter written without {@code =} has an empty value. */
    record Parameter(String name, String value) {
    }

    private final List<Parameter> parameters;

    private QueryParameters(List<Parameter> parameters) {
        this.parameters = parameters;
    }

    static QueryParameters parse(String rawQuery) {
        List<Parameter> parsed = new ArrayList<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                parsed.add(new Parameter(UriEncoding.decodeQueryComponent(name),
                        UriEncoding.decodeQueryComponent(value)));
            }
        }
        return new QueryParameters(List.copyOf(parsed));
    }

    /** The first value of a parameter (names are case-sensitive, as in S3). */
    Optional<String> first(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).map(Parameter::value).findFirst();
    }

    boolean has(String name) {
        return first(name).isPresent();
    }

    /**
     * The canonical query string: names and values RFC 3986 encoded, sorted by encoded name then encoded value,
     * joined as {@code n=v&n=v}. Parameters with an empty name are left out, as the AWS SDKs do when signing.
     */
    String canonical(String excludedName) {
        return parameters.stream()
                .filter(p -> !p.name().isEmpty() && !p.name().equals(excludedName))
                .map(p -> new Parameter(UriEncoding.encode(p.name()), UriEncoding.encode(p.value())))
                .sorted(Comparator.comparing(Parameter::name).thenComparing(Parameter::value))
                .map(p -> p.name() + "=" + p.value())
                .collect(Collectors.joining("&"));
    }
}
