package dev.daneel.anchors.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.SignatureException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.Selector;

/**
 * Verifies a detached CMS (PKCS #7) signature such as IANA's {@code root-anchors.p7s} over {@code
 * root-anchors.xml} (RFC 7958 §4): every signer's signature must verify over the exact bytes, and
 * its certificate must chain (through certificates carried in the CMS) to one of the given CA
 * certificates, valid at the given time.
 *
 * <p>Revocation is not checked: the check runs offline, and ICANN's CA publishes no OCSP responder.
 * A Bouncy Castle provider instance is used directly; nothing is registered globally.
 */
public final class CmsSignature {

    private CmsSignature() {}

    /**
     * Throws {@link SignatureException} naming the reason unless {@code p7s} signs {@code content}
     * as described.
     */
    public static void verify(
            byte[] content, byte[] p7s, Collection<X509Certificate> trustedCas, Instant at)
            throws SignatureException {
        if (trustedCas.isEmpty()) {
            throw new IllegalArgumentException(
                    "no CA certificates given to verify the signature against");
        }
        BouncyCastleProvider bc = new BouncyCastleProvider();
        CMSSignedData signed;
        try {
            signed = new CMSSignedData(new CMSProcessableByteArray(content), p7s);
        } catch (CMSException | RuntimeException e) {
            throw new SignatureException(
                    "the signature file is not a CMS SignedData structure: " + e.getMessage(), e);
        }
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            throw new SignatureException("the CMS structure has no signer");
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(bc);
        List<X509Certificate> carried = new ArrayList<>();
        try {
            for (X509CertificateHolder h : signed.getCertificates().getMatches(null)) {
                carried.add(converter.getCertificate(h));
            }
        } catch (GeneralSecurityException e) {
            throw new SignatureException(
                    "a certificate in the CMS structure cannot be read: " + e.getMessage(), e);
        }
        for (SignerInformation signer : signers) {
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches =
                    signed.getCertificates()
                            .getMatches((Selector<X509CertificateHolder>) signer.getSID());
            if (matches.isEmpty()) {
                throw new SignatureException(
                        "the signer's certificate ("
                                + signer.getSID().getIssuer()
                                + ", serial "
                                + signer.getSID().getSerialNumber()
                                + ") is not in the CMS structure");
            }
            X509CertificateHolder holder = matches.iterator().next();
            X509Certificate cert;
            try {
                cert = converter.getCertificate(holder);
                boolean ok =
                        signer.verify(
                                new JcaSimpleSignerInfoVerifierBuilder()
                                        .setProvider(bc)
                                        .build(holder));
                if (!ok) {
                    throw new SignatureException(
                            "the signature by "
                                    + cert.getSubjectX500Principal()
                                    + " does not verify over"
                                    + " the content: the file was changed after signing, or the signature belongs to another file");
                }
            } catch (CMSException e) {
                throw new SignatureException(
                        "the signature by "
                                + holder.getSubject()
                                + " does not verify: "
                                + e.getMessage(),
                        e);
            } catch (OperatorCreationException | GeneralSecurityException e) {
                throw new SignatureException(
                        "the signer's certificate cannot be used: " + e.getMessage(), e);
            }
            chain(cert, carried, trustedCas, at);
        }
    }

    private static void chain(
            X509Certificate cert,
            List<X509Certificate> carried,
            Collection<X509Certificate> cas,
            Instant at)
            throws SignatureException {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate ca : cas) {
            anchors.add(new TrustAnchor(ca, null));
        }
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(cert);
        try {
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            params.addCertStore(
                    CertStore.getInstance(
                            "Collection", new CollectionCertStoreParameters(carried)));
            CertPathBuilder.getInstance("PKIX").build(params);
        } catch (CertPathBuilderException e) {
            throw new SignatureException(
                    "the signer "
                            + cert.getSubjectX500Principal()
                            + " does not chain to the given CA"
                            + " certificate(s) "
                            + subjects(cas)
                            + " at "
                            + at
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (InvalidAlgorithmParameterException | java.security.NoSuchAlgorithmException e) {
            throw new SignatureException("cannot build a certificate path: " + e.getMessage(), e);
        }
    }

    private static List<String> subjects(Collection<X509Certificate> certs) {
        List<String> out = new ArrayList<>();
        certs.forEach(c -> out.add(c.getSubjectX500Principal().getName()));
        return out;
    }
}
