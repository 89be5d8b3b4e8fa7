package dev.daneel.dane.internal;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * DNS-ID checks of a leaf certificate against reference names (RFC 6125 §6.4, as RFC 7671 §5.2 asks
 * for DANE-TA): subjectAltName dNSName entries, or the subject CN when there are none; a wildcard
 * only as the whole left-most label.
 */
public final class HostnameMatcher {

    private static final int SAN_DNS = 2;

    private HostnameMatcher() {}

    /** The DNS identifiers the certificate presents. */
    public static List<String> identifiers(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(SAN_DNS).equals(san.get(0))) {
                        out.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return out;
        }
        if (out.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        out.add(String.valueOf(rdn.getValue()));
                    }
                }
            } catch (InvalidNameException e) {
                return out;
            }
        }
        return out;
    }

    /** Whether any reference name matches any identifier of the certificate. */
    public static boolean matches(X509Certificate cert, Collection<String> referenceNames) {
        List<String> ids = identifiers(cert);
        for (String ref : referenceNames) {
            String r = normalize(ref);
            for (String id : ids) {
                if (matches(normalize(id), r)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matches(String id, String ref) {
        if (id.startsWith("*.")) {
            int dot = ref.indexOf('.');
            return dot > 0
                    && ref.substring(dot + 1).equals(id.substring(2))
                    && id.indexOf('.', 2) > 0;
        }
        return id.equals(ref);
    }

    private static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
