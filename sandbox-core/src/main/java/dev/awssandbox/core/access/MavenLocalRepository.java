package dev.awssandbox.core.access;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Where Maven keeps its local repository when it is not {@code ~/.m2/repository}: the plugins and jars the launcher's
 * rebuild of a checkout runs come from there (red team, round 46, F5: {@code <localRepository>} in
 * {@code ~/.m2/settings.xml} moved it to a data directory, which a command could write). Read as Maven reads it: the
 * user settings' {@code <localRepository>} (also a settings file given with {@code -s} or {@code --settings}), and
 * {@code -Dmaven.repo.local=} in {@code MAVEN_OPTS}, {@code MAVEN_ARGS} and the checkout's {@code .mvn/maven.config}
 * and {@code .mvn/jvm.config}; {@code ${user.home}} and {@code ${env.NAME}} expanded. A relative path (Maven takes it
 * where it runs: the checkout) is taken in each checkout. Not a security boundary of its own: a settings file that
 * cannot be read names nothing, as Maven would then fail.
 */
final class MavenLocalRepository {
    private static final Pattern REPO_LOCAL = Pattern.compile("-Dmaven\\.repo\\.local=(\"[^\"]*\"|'[^']*'|\\S+)");
    private static final Pattern SETTINGS = Pattern.compile("(?:^|\\s)(?:-s|--settings)(?:\\s+|=)(\"[^\"]*\"|'[^']*'|\\S+)");
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{(user\\.home|env\\.(\\w+))}");
    private static final int MAX_BYTES = 1 << 20;

    private MavenLocalRepository() {}

    /** The local repositories named anywhere Maven looks, absolute, not resolved. */
    static List<Path> elsewhere(List<Path> mavenUserHomes, List<Path> checkouts, Map<String, String> environment) {
        Set<String> named = new LinkedHashSet<>();
        List<String> options = new ArrayList<>();
        options.add(environment.getOrDefault("MAVEN_OPTS", ""));
        options.add(environment.getOrDefault("MAVEN_ARGS", ""));
        for (Path checkout : checkouts) {
            options.add(text(checkout.resolve(".mvn/maven.config")));
            options.add(text(checkout.resolve(".mvn/jvm.config")));
        }
        List<Path> settings = new ArrayList<>();
        mavenUserHomes.forEach(home -> settings.add(home.resolve("settings.xml")));
        for (String option : options) {
            Matcher repo = REPO_LOCAL.matcher(option);
            while (repo.find()) {
                named.add(unquoted(repo.group(1)));
            }
            Matcher file = SETTINGS.matcher(option);
            while (file.find()) {
                String value = unquoted(file.group(1));
                if (value.startsWith("/")) {
                    settings.add(Path.of(value));
                } else {
                    checkouts.forEach(checkout -> settings.add(checkout.resolve(value)));
                }
            }
        }
        for (Path file : settings) {
            String localRepository = localRepository(text(file));
            if (!localRepository.isBlank()) {
                named.add(localRepository.strip());
            }
        }
        List<Path> repositories = new ArrayList<>();
        for (String value : named) {
            String expanded = expand(value, environment);
            if (expanded.startsWith("/")) {
                repositories.add(Path.of(expanded).normalize());
            } else if (!expanded.isEmpty() && expanded.indexOf('$') < 0) {
                checkouts.forEach(checkout -> repositories.add(checkout.resolve(expanded).normalize()));
            }
        }
        return List.copyOf(repositories);
    }

    /** {@code <settings><localRepository>}'s text; empty when there is none or the file is no XML Maven would read. */
    static String localRepository(String xml) {
        if (xml.isEmpty()) {
            return "";
        }
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false); // no entities: a settings file cannot make us read more
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(new StringReader(xml));
            int depth = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamReader.START_ELEMENT) {
                    depth++;
                    if (depth == 2 && reader.getLocalName().equals("localRepository")) {
                        return reader.getElementText();
                    }
                } else if (event == XMLStreamReader.END_ELEMENT) {
                    depth--;
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            // Maven refuses such a settings file: it builds nothing
        }
        return "";
    }

    private static String expand(String value, Map<String, String> environment) {
        Matcher m = PROPERTY.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(2) != null ? environment.get(m.group(2)) : System.getProperty("user.home");
            m.appendReplacement(out, Matcher.quoteReplacement(replacement != null ? replacement : m.group()));
        }
        m.appendTail(out);
        String expanded = out.toString();
        return expanded.startsWith("~/") ? System.getProperty("user.home") + expanded.substring(1) : expanded;
    }

    private static String unquoted(String value) {
        return value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'")
                && value.endsWith("'")) ? value.substring(1, value.length() - 1) : value;
    }

    /** A small file's text; empty when it is missing, not a regular file, too large or unreadable. */
    private static String text(Path file) {
        try {
            return new String(GitConfig.readRegular(file, MAX_BYTES), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
