package dev.daneel.validator.readme;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Verdict;
import dev.daneel.validator.ValidatingResolver;
import org.xbill.DNS.Type;

public class FirstExample {
    public static void main(String[] args) throws Exception {
        // A signed DNS world built in memory and served on 127.0.0.1: nothing leaves the machine.
        try (World world = World.builder()
                .zone("test.")
                .zone("example.test.", z -> z.record("www 300 A 192.0.2.1"))
                .zone("forged.test.", z -> z.record("www 300 A 192.0.2.66")
                        .breakRRset("www", Type.A, Breakage.TAMPERED_DATA))   // as an attacker would
                .start();
             ValidatingResolver resolver = ValidatingResolver.builder()
                .upstream(world.address())                            // your recursive resolver
                .trustAnchors(TrustAnchors.of(world.trustAnchors()))  // default: IANA's root anchors
                .build()) {
            for (String name : new String[] {"www.example.test.", "www.forged.test."}) {
                Answer answer = resolver.resolve(name, Type.A);
                if (answer.verdict() instanceof Verdict.Bogus bogus) {  // records of a Bogus answer: never use
                    System.out.println(name + " BOGUS " + bogus.reason() + ": " + bogus.detail());
                } else {
                    System.out.println(name + " " + answer.status() + " " + answer.records());
                }
            }
        }
    }
}
