package dev.daneel.validator.rfc;

import static dev.daneel.validator.rfc.RfcExamples.answer;
import static dev.daneel.validator.rfc.RfcExamples.exchange;
import static dev.daneel.validator.rfc.RfcExamples.ksk;
import static dev.daneel.validator.rfc.RfcExamples.records;
import static dev.daneel.validator.rfc.RfcExamples.response;
import static dev.daneel.validator.rfc.RfcExamples.validate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.validator.Answer;
import dev.daneel.validator.Evidence;
import dev.daneel.validator.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * RFC 4035 Appendix B: the example responses of the signed example zone (Appendix A, RSA/SHA-1 keys
 * 38519 and 31406), replayed as printed through Daneel's validator with the zone's printed KSK as
 * the only trust anchor, at a time inside the printed signatures' window (2004-04-09 to
 * 2004-05-09). The referral to the signed child (B.4) is left out: the child's keys and data are
 * not printed.
 */
class Rfc4035AppendixBTest {

    /** Inside every printed RRSIG's validity (20040409183619 to 20040509183619). */
    static final Instant AT = Instant.parse("2004-04-20T00:00:00Z");

    /** The DNSKEY RRset of {@code example.} and its RRSIG, as Appendix A prints them. */
    static final String DNSKEYS =
            """
            example. 3600 DNSKEY 256 3 5 (
                         AQOy1bZVvpPqhg4j7EJoM9rI3ZmyEx2OzDBV
                         rZy/lvI5CQePxXHZS4i8dANH4DX3tbHol61e
                         k8EFMcsGXxKciJFHyhl94C+NwILQdzsUlSFo
                         vBZsyl/NX6yEbtw/xN9ZNcrbYvgjjZ/UVPZI
                         ySFNsgEYvh0z2542lzMKR4Dh8uZffQ==
                         )
             3600 DNSKEY 257 3 5 (
                         AQOeX7+baTmvpVHb2CcLnL1dMRWbuscRvHXl
                         LnXwDzvqp4tZVKp1sZMepFb8MvxhhW3y/0QZ
                         syCjczGJ1qk8vJe52iOhInKROVLRwxGpMfzP
                         RLMlGybr51bOV/1se0ODacj3DomyB4QB5gKT
                         Yot/K9alk5/j8vfd4jWCWD+E1Sze0Q==
                         )
             3600 RRSIG  DNSKEY 5 1 3600 20040509183619 (
                         20040409183619 9465 example.
                         ZxgauAuIj+k1YoVEOSlZfx41fcmKzTFHoweZ
                         xYnz99JVQZJ33wFS0Q0jcP7VXKkaElXk9nYJ
                         XevO/7nAbo88iWsMkSpSR6jWzYYKwfrBI/L9
                         hjYmyVO9m6FjQ7uwM4dCP/bIuV/DKqOAK9NY
                         NC3AHfvCV1Tp4VKDqxqG7R5tTVM= )
             3600 RRSIG  DNSKEY 5 1 3600 20040509183619 (
                         20040409183619 38519 example.
                         eGL0s90glUqcOmloo/2y+bSzyEfKVOQViD9Z
                         DNhLz/Yn9CQZlDVRJffACQDAUhXpU/oP34ri
                         bKBpysRXosczFrKqS5Oa0bzMOfXCXup9qHAp
                         eFIku28Vqfr8Nt7cigZLxjK+u0Ws/4lIRjKk
                         7z5OXogYVaFzHKillDt3HRxHIZM= )
             """;

    /** Appendix B.1, as printed. */
    static final String B1 =
            """
            ;; Header: QR AA DO RCODE=0
            ;;
            ;; Question
            x.w.example.        IN MX

            ;; Answer
            x.w.example.   3600 IN MX  1 xx.example.
            x.w.example.   3600 RRSIG  MX 5 3 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       Il2WTZ+Bkv+OytBx4LItNW5mjB4RCwhOO8y1
                                       XzPHZmZUTVYL7LaA63f6T9ysVBzJRI3KRjAP
                                       H3U1qaYnDoN1DrWqmi9RJe4FoObkbcdm7P3I

                                       kx70ePCoFgRz1Yq+bVVXCvGuAU4xALv3W/Y1
                                       jNSlwZ2mSWKHfxFQxPtLj8s32+k= )

            ;; Authority
            example.       3600 NS     ns1.example.
            example.       3600 NS     ns2.example.
            example.       3600 RRSIG  NS 5 1 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       gl13F00f2U0R+SWiXXLHwsMY+qStYy5k6zfd
                                       EuivWc+wd1fmbNCyql0Tk7lHTX6UOxc8AgNf
                                       4ISFve8XqF4q+o9qlnqIzmppU3LiNeKT4FZ8
                                       RO5urFOvoMRTbQxW3U0hXWuggE4g3ZpsHv48
                                       0HjMeRaZB/FRPGfJPajngcq6Kwg= )

            ;; Additional
            xx.example.    3600 IN A   192.0.2.10
            xx.example.    3600 RRSIG  A 5 2 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       kBF4YxMGWF0D8r0cztL+2fWWOvN1U/GYSpYP
                                       7SoKoNQ4fZKyk+weWGlKLIUM+uE1zjVTPXoa
                                       0Z6WG0oZp46rkl1EzMcdMgoaeUzzAJ2BMq+Y
                                       VdxG9IK1yZkYGY9AgbTOGPoAgbJyO9EPULsx
                                       kbIDV6GPPSZVusnZU6OMgdgzHV4= )
            xx.example.    3600 AAAA   2001:db8::f00:baaa
            xx.example.    3600 RRSIG  AAAA 5 2 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       Zzj0yodDxcBLnnOIwDsuKo5WqiaK24DlKg9C
                                       aGaxDFiKgKobUj2jilYQHpGFn2poFRetZd4z
                                       ulyQkssz2QHrVrPuTMS22knudCiwP4LWpVTr
                                       U4zfeA+rDz9stmSBP/4PekH/x2IoAYnwctd/
                                       xS9cL2QgW7FChw16mzlkH6/vsfs= )
            ns1.example.   3600 IN A   192.0.2.1
            ns1.example.   3600 RRSIG  A 5 2 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       F1C9HVhIcs10cZU09G5yIVfKJy5yRQQ3qVet
                                       5pGhp82pzhAOMZ3K22JnmK4c+IjUeFp/to06
                                       im5FVpHtbFisdjyPq84bhTv8vrXt5AB1wNB+
                                       +iAqvIfdgW4sFNC6oADb1hK8QNauw9VePJhK
                                       v/iVXSYC0b7mPSU+EOlknFpVECs= )
            ns2.example.   3600 IN A   192.0.2.2
            ns2.example.   3600 RRSIG  A 5 2 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       V7cQRw1TR+knlaL1z/psxlS1PcD37JJDaCMq
                                       Qo6/u1qFQu6x+wuDHRH22Ap9ulJPQjFwMKOu
                                       yfPGQPC8KzGdE3vt5snFEAoE1Vn3mQqtu7SO
                                       6amIjk13Kj/jyJ4nGmdRIc/3cM3ipXFhNTKq
                                       rdhx8SZ0yy4ObIRzIzvBFLiSS8o= )
            """;

    /** Appendix B.2, as printed. */
    static final String B2 =
            """
            ;; Header: QR AA DO RCODE=3
            ;;
            ;; Question
            ml.example.         IN A

            ;; Answer
            ;; (empty)

            ;; Authority
            example.       3600 IN SOA ns1.example. bugs.x.w.example. (
                                       1081539377
                                       3600
                                       300
                                       3600000
                                       3600
                                       )
            example.       3600 RRSIG  SOA 5 1 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       ONx0k36rcjaxYtcNgq6iQnpNV5+drqYAsC9h
                                       7TSJaHCqbhE67Sr6aH2xDUGcqQWu/n0UVzrF
                                       vkgO9ebarZ0GWDKcuwlM6eNB5SiX2K74l5LW
                                       DA7S/Un/IbtDq4Ay8NMNLQI7Dw7n4p8/rjkB
                                       jV7j86HyQgM5e7+miRAz8V01b0I= )
            b.example.     3600 NSEC   ns1.example. NS RRSIG NSEC
            b.example.     3600 RRSIG  NSEC 5 2 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       GNuxHn844wfmUhPzGWKJCPY5ttEX/RfjDoOx
                                       9ueK1PtYkOWKOOdiJ/PJKCYB3hYX+858dDWS
                                       xb2qnV/LSTCNVBnkm6owOpysY97MVj5VQEWs
                                       0lm9tFoqjcptQkmQKYPrwUnCSNwvvclSF1xZ
                                       vhRXgWT7OuFXldoCG6TfVFMs9xE= )
            example.       3600 NSEC   a.example. NS SOA MX RRSIG NSEC DNSKEY
            example.       3600 RRSIG  NSEC 5 1 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       O0k558jHhyrC97ISHnislm4kLMW48C7U7cBm
                                       FTfhke5iVqNRVTB1STLMpgpbDIC9hcryoO0V
                                       Z9ME5xPzUEhbvGnHd5sfzgFVeGxr5Nyyq4tW
                                       SDBgIBiLQUv1ivy29vhXy7WgR62dPrZ0PWvm
                                       jfFJ5arXf4nPxp/kEowGgBRzY/U= )

            ;; Additional
            ;; (empty)
            """;

    /** Appendix B.3, as printed. */
    static final String B3 =
            """
            ;; Header: QR AA DO RCODE=0
            ;;
            ;; Question
            ns1.example.        IN MX

            ;; Answer
            ;; (empty)

            ;; Authority
            example.       3600 IN SOA ns1.example. bugs.x.w.example. (
                                       1081539377
                                       3600
                                       300
                                       3600000
                                       3600
                                       )
            example.       3600 RRSIG  SOA 5 1 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       ONx0k36rcjaxYtcNgq6iQnpNV5+drqYAsC9h
                                       7TSJaHCqbhE67Sr6aH2xDUGcqQWu/n0UVzrF
                                       vkgO9ebarZ0GWDKcuwlM6eNB5SiX2K74l5LW
                                       DA7S/Un/IbtDq4Ay8NMNLQI7Dw7n4p8/rjkB
                                       jV7j86HyQgM5e7+miRAz8V01b0I= )
            ns1.example.   3600 NSEC   ns2.example. A RRSIG NSEC
            ns1.example.   3600 RRSIG  NSEC 5 2 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       I4hj+Kt6+8rCcHcUdolks2S+Wzri9h3fHas8
                                       1rGN/eILdJHN7JpV6lLGPIh/8fIBkfvdyWnB
                                       jjf1q3O7JgYO1UdI7FvBNWqaaEPJK3UkddBq
                                       ZIaLi8Qr2XHkjq38BeQsbp8X0+6h4ETWSGT8
                                       IZaIGBLryQWGLw6Y6X8dqhlnxJM= )

            ;; Additional
            ;; (empty)
            """;

    /** Appendix B.4, as printed. */
    static final String B4 =
            """
            ;; Header: QR DO RCODE=0
            ;;

            ;; Question
            mc.a.example.       IN MX

            ;; Answer
            ;; (empty)

            ;; Authority
            a.example.     3600 IN NS  ns1.a.example.
            a.example.     3600 IN NS  ns2.a.example.
            a.example.     3600 DS     57855 5 1 (
                                       B6DCD485719ADCA18E5F3D48A2331627FDD3
                                       636B )
            a.example.     3600 RRSIG  DS 5 2 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       oXIKit/QtdG64J/CB+Gi8dOvnwRvqrto1AdQ
                                       oRkAN15FP3iZ7suB7gvTBmXzCjL7XUgQVcoH
                                       kdhyCuzp8W9qJHgRUSwKKkczSyuL64nhgjuD
                                       EML8l9wlWVsl7PR2VnZduM9bLyBhaaPmRKX/
                                       Fm+v6ccF2EGNLRiY08kdkz+XHHo= )

            ;; Additional
            ns1.a.example. 3600 IN A   192.0.2.5
            ns2.a.example. 3600 IN A   192.0.2.6
            """;

    /** Appendix B.5, as printed. */
    static final String B5 =
            """
            ;; Header: QR DO RCODE=0
            ;;
            ;; Question
            mc.b.example.       IN MX

            ;; Answer
            ;; (empty)

            ;; Authority
            b.example.     3600 IN NS  ns1.b.example.
            b.example.     3600 IN NS  ns2.b.example.
            b.example.     3600 NSEC   ns1.example. NS RRSIG NSEC
            b.example.     3600 RRSIG  NSEC 5 2 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       GNuxHn844wfmUhPzGWKJCPY5ttEX/RfjDoOx
                                       9ueK1PtYkOWKOOdiJ/PJKCYB3hYX+858dDWS
                                       xb2qnV/LSTCNVBnkm6owOpysY97MVj5VQEWs
                                       0lm9tFoqjcptQkmQKYPrwUnCSNwvvclSF1xZ
                                       vhRXgWT7OuFXldoCG6TfVFMs9xE= )

            ;; Additional
            ns1.b.example. 3600 IN A   192.0.2.7
            ns2.b.example. 3600 IN A   192.0.2.8
            """;

    /** Appendix B.6, as printed. */
    static final String B6 =
            """
            ;; Header: QR AA DO RCODE=0
            ;;
            ;; Question
            a.z.w.example.      IN MX

            ;; Answer
            a.z.w.example. 3600 IN MX  1 ai.example.
            a.z.w.example. 3600 RRSIG  MX 5 2 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       OMK8rAZlepfzLWW75Dxd63jy2wswESzxDKG2
                                       f9AMN1CytCd10cYISAxfAdvXSZ7xujKAtPbc
                                       tvOQ2ofO7AZJ+d01EeeQTVBPq4/6KCWhqe2X
                                       TjnkVLNvvhnc0u28aoSsG0+4InvkkOHknKxw
                                       4kX18MMR34i8lC36SR5xBni8vHI= )

            ;; Authority
            example.       3600 NS     ns1.example.
            example.       3600 NS     ns2.example.
            example.       3600 RRSIG  NS 5 1 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       gl13F00f2U0R+SWiXXLHwsMY+qStYy5k6zfd
                                       EuivWc+wd1fmbNCyql0Tk7lHTX6UOxc8AgNf
                                       4ISFve8XqF4q+o9qlnqIzmppU3LiNeKT4FZ8
                                       RO5urFOvoMRTbQxW3U0hXWuggE4g3ZpsHv48
                                       0HjMeRaZB/FRPGfJPajngcq6Kwg= )
            x.y.w.example. 3600 NSEC   xx.example. MX RRSIG NSEC
            x.y.w.example. 3600 RRSIG  NSEC 5 4 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       OvE6WUzN2ziieJcvKPWbCAyXyP6ef8cr6Csp
                                       ArVSTzKSquNwbezZmkU7E34o5lmb6CWSSSpg
                                       xw098kNUFnHcQf/LzY2zqRomubrNQhJTiDTX
                                       a0ArunJQCzPjOYq5t0SLjm6qp6McJI1AP5Vr
                                       QoKqJDCLnoAlcPOPKAm/jJkn3jk= )

            ;; Additional
            ai.example.    3600 IN A   192.0.2.9
            ai.example.    3600 RRSIG  A 5 2 3600 20040509183619 (

                                       20040409183619 38519 example.
                                       pAOtzLP2MU0tDJUwHOKE5FPIIHmdYsCgTb5B
                                       ERGgpnJluA9ixOyf6xxVCgrEJW0WNZSsJicd
                                       hBHXfDmAGKUajUUlYSAH8tS4ZnrhyymIvk3u
                                       ArDu2wfT130e9UHnumaHHMpUTosKe22PblOy
                                       6zrTpg9FkS0XGVmYRvOTNYx2HvQ= )
            ai.example.    3600 AAAA   2001:db8::f00:baa9
            ai.example.    3600 RRSIG  AAAA 5 2 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       nLcpFuXdT35AcE+EoafOUkl69KB+/e56XmFK
                                       kewXG2IadYLKAOBIoR5+VoQV3XgTcofTJNsh
                                       1rnF6Eav2zpZB3byI6yo2bwY8MNkr4A7cL9T
                                       cMmDwV/hWFKsbGBsj8xSCN/caEL2CWY/5XP2
                                       sZM6QjBBLmukH30+w1z3h8PUP2o= )
            """;

    /** Appendix B.7, as printed. */
    static final String B7 =
            """
            ;; Header: QR AA DO RCODE=0
            ;;
            ;; Question
            a.z.w.example.      IN AAAA

            ;; Answer
            ;; (empty)

            ;; Authority
            example.       3600 IN SOA ns1.example. bugs.x.w.example. (
                                       1081539377
                                       3600
                                       300
                                       3600000
                                       3600
                                       )
            example.       3600 RRSIG  SOA 5 1 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       ONx0k36rcjaxYtcNgq6iQnpNV5+drqYAsC9h
                                       7TSJaHCqbhE67Sr6aH2xDUGcqQWu/n0UVzrF
                                       vkgO9ebarZ0GWDKcuwlM6eNB5SiX2K74l5LW
                                       DA7S/Un/IbtDq4Ay8NMNLQI7Dw7n4p8/rjkB
                                       jV7j86HyQgM5e7+miRAz8V01b0I= )
            x.y.w.example. 3600 NSEC   xx.example. MX RRSIG NSEC
            x.y.w.example. 3600 RRSIG  NSEC 5 4 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       OvE6WUzN2ziieJcvKPWbCAyXyP6ef8cr6Csp

                                       ArVSTzKSquNwbezZmkU7E34o5lmb6CWSSSpg
                                       xw098kNUFnHcQf/LzY2zqRomubrNQhJTiDTX
                                       a0ArunJQCzPjOYq5t0SLjm6qp6McJI1AP5Vr
                                       QoKqJDCLnoAlcPOPKAm/jJkn3jk= )
            *.w.example.   3600 NSEC   x.w.example. MX RRSIG NSEC
            *.w.example.   3600 RRSIG  NSEC 5 2 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       r/mZnRC3I/VIcrelgIcteSxDhtsdlTDt8ng9
                                       HSBlABOlzLxQtfgTnn8f+aOwJIAFe1Ee5RvU
                                       5cVhQJNP5XpXMJHfyps8tVvfxSAXfahpYqtx
                                       91gsmcV/1V9/bZAG55CefP9cM4Z9Y9NT9XQ8
                                       s1InQ2UoIv6tJEaaKkP701j8OLA= )

            ;; Additional
            ;; (empty)
            """;

    /** Appendix B.8, as printed. */
    static final String B8 =
            """
            ;; Header: QR AA DO RCODE=0
            ;;
            ;; Question
            example.            IN DS

            ;; Answer
            ;; (empty)

            ;; Authority
            example.       3600 IN SOA ns1.example. bugs.x.w.example. (
                                       1081539377
                                       3600
                                       300
                                       3600000
                                       3600
                                       )
            example.       3600 RRSIG  SOA 5 1 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       ONx0k36rcjaxYtcNgq6iQnpNV5+drqYAsC9h
                                       7TSJaHCqbhE67Sr6aH2xDUGcqQWu/n0UVzrF
                                       vkgO9ebarZ0GWDKcuwlM6eNB5SiX2K74l5LW
                                       DA7S/Un/IbtDq4Ay8NMNLQI7Dw7n4p8/rjkB
                                       jV7j86HyQgM5e7+miRAz8V01b0I= )
            example.       3600 NSEC   a.example. NS SOA MX RRSIG NSEC DNSKEY
            example.       3600 RRSIG  NSEC 5 1 3600 20040509183619 (
                                       20040409183619 38519 example.
                                       O0k558jHhyrC97ISHnislm4kLMW48C7U7cBm

                                       FTfhke5iVqNRVTB1STLMpgpbDIC9hcryoO0V
                                       Z9ME5xPzUEhbvGnHd5sfzgFVeGxr5Nyyq4tW
                                       SDBgIBiLQUv1ivy29vhXy7WgR62dPrZ0PWvm
                                       jfFJ5arXf4nPxp/kEowGgBRzY/U= )

            ;; Additional
            ;; (empty)
            """;

    private static final List<Record> KEYS = records(DNSKEYS);

    /**
     * The validator's verdict on a printed response, given the zone's DNSKEY RRset as Appendix A
     * prints it.
     */
    private static Answer replay(String name, int type, String printed) {
        List<Evidence.Exchange> chain = new ArrayList<>();
        chain.add(
                exchange(
                        "example.",
                        Type.DNSKEY,
                        answer(Name.fromConstantString("example."), Type.DNSKEY, KEYS)));
        chain.add(exchange(name, type, response(printed)));
        return validate(ksk(KEYS), AT, name, type, chain);
    }

    @Test
    void b1AnswerIsSecure() {
        Answer a = replay("x.w.example.", Type.MX, B1);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(1, a.records().size());
        assertEquals("1 xx.example.", a.records().get(0).rdataToString());
    }

    @Test
    void b2NameErrorIsSecure() {
        Answer a = replay("ml.example.", Type.A, B2);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(Rcode.NXDOMAIN, a.rcode());
    }

    @Test
    void b3NoDataIsSecure() {
        Answer a = replay("ns1.example.", Type.MX, B3);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(Rcode.NOERROR, a.rcode());
        assertTrue(a.records().isEmpty());
    }

    /**
     * B.5 is the referral a recursive sees; the stub asks the DS of {@code b.example}, whose NODATA
     * carries the printed NSEC (NS, no DS): the delegation is provably insecure (RFC 4035 §5.2),
     * and the child's unsigned MX is Insecure, not Bogus.
     */
    @Test
    void b5ReferralToAnUnsignedZoneIsInsecure() {
        Message ds = new Message();
        ds.getHeader().setFlag(org.xbill.DNS.Flags.QR);
        ds.addRecord(
                Record.newRecord(Name.fromConstantString("b.example."), Type.DS, 1),
                Section.QUESTION);
        for (Record r : response(B3).getSection(Section.AUTHORITY)) {
            if (r.getType() == Type.SOA
                    || r instanceof org.xbill.DNS.RRSIGRecord s && s.getTypeCovered() == Type.SOA) {
                ds.addRecord(r, Section.AUTHORITY);
            }
        }
        for (Record r : response(B5).getSection(Section.AUTHORITY)) {
            if (r.getType() != Type.NS) {
                ds.addRecord(r, Section.AUTHORITY);
            }
        }
        Message mx =
                answer(
                        Name.fromConstantString("mc.b.example."),
                        Type.MX,
                        records("mc.b.example. 3600 IN MX 1 mx.mc.b.example."));
        Answer a =
                validate(
                        ksk(KEYS),
                        AT,
                        "mc.b.example.",
                        Type.MX,
                        List.of(
                                exchange(
                                        "example.",
                                        Type.DNSKEY,
                                        answer(
                                                Name.fromConstantString("example."),
                                                Type.DNSKEY,
                                                KEYS)),
                                exchange("b.example.", Type.DS, ds),
                                exchange("mc.b.example.", Type.MX, mx)));
        assertEquals(Status.INSECURE, a.status(), a.toString());
        assertEquals(1, a.records().size());
    }

    @Test
    void b6WildcardExpansionIsSecure() {
        Answer a = replay("a.z.w.example.", Type.MX, B6);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(Name.fromConstantString("a.z.w.example."), a.records().get(0).getName());
    }

    @Test
    void b7WildcardNoDataIsSecure() {
        Answer a = replay("a.z.w.example.", Type.AAAA, B7);
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertTrue(a.records().isEmpty());
    }

    /**
     * B.8 is the zone's own answer to a DS question at its apex: the DS lives in the parent, where
     * no anchor is, and the child's NSEC (SOA bit set) cannot deny it. Nothing above the anchor can
     * be proven: not Secure, and not Bogus either (RFC 4035 §4.3).
     */
    @Test
    void b8DsAtTheAnchoredApexIsNeitherSecureNorBogus() {
        Answer a = replay("example.", Type.DS, B8);
        assertNotEquals(Status.SECURE, a.status(), a.toString());
        assertNotEquals(Status.BOGUS, a.status(), a.toString());
        assertEquals(
                Status.INDETERMINATE,
                a.status(),
                "no anchor above example. can judge its DS: " + a);
    }

    @Test
    void theAnswerAtAnotherTimeThanThePrintedWindowIsBogus() {
        List<Evidence.Exchange> chain =
                List.of(
                        exchange(
                                "example.",
                                Type.DNSKEY,
                                answer(Name.fromConstantString("example."), Type.DNSKEY, KEYS)),
                        exchange("x.w.example.", Type.MX, response(B1)));
        Answer a =
                validate(
                        ksk(KEYS),
                        Instant.parse("2004-06-01T00:00:00Z"),
                        "x.w.example.",
                        Type.MX,
                        chain);
        assertEquals(Status.BOGUS, a.status(), a.toString());
    }
}
