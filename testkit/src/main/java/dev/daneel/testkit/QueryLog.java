package dev.daneel.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Every query a {@link WorldServer} received, in arrival order, so tests can count what a client
 * sent.
 *
 * <pre>{@code
 * world.server().log().clear();
 * resolver.lookup("www.example.test.", Type.A);
 * assertEquals(1, world.server().log().count("example.test.", Type.DNSKEY));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class QueryLog {

    private final List<LoggedQuery> entries = new CopyOnWriteArrayList<>();

    void add(LoggedQuery q) {
        entries.add(q);
    }

    /** A snapshot of the entries so far. */
    public List<LoggedQuery> entries() {
        return List.copyOf(entries);
    }

    /** How many queries arrived. */
    public int size() {
        return entries.size();
    }

    /** How many queries asked for {@code type} at {@code name} (absolute). */
    public long count(String name, int type) {
        Name n;
        try {
            n = Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: \"" + name + "\"", e);
        }
        return count(q -> n.equals(q.name()) && q.type() == type);
    }

    /** How many queries match a predicate. */
    public long count(Predicate<LoggedQuery> which) {
        return entries.stream().filter(which).count();
    }

    /** Forgets every entry. */
    public void clear() {
        entries.clear();
    }
}
