package dev.daneel.validator.unbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the harness answers client queries, on small unsigned scenarios written here (the signed
 * cases are the Unbound scenarios themselves): no trust anchor means no AD, whatever the servers
 * claim; a question for a DNAME is answered with the DNAME; an answer no CHECK_ANSWER takes fails
 * the scenario.
 */
class ScenarioRunnerTest {

    /** A root server that answers www.example.com. itself, with AD set as a lying server might. */
    private static String scenario(String qtype, String answer, String query, String check) {
        return "server:\n\tval-override-date: \"20070916134226\"\nstub-zone:\n\tname: \".\"\n\tstub-addr: 193.0.14.129\n"
                + "CONFIG_END\nSCENARIO_BEGIN no trust anchor\nRANGE_BEGIN 0 100\n\tADDRESS 193.0.14.129\nENTRY_BEGIN\n"
                + "MATCH opcode qtype qname\nADJUST copy_id\nREPLY QR AA AD NOERROR\nSECTION QUESTION\nwww.example.com. IN "
                + qtype
                + "\nSECTION ANSWER\n"
                + answer
                + "\nENTRY_END\nRANGE_END\n"
                + "STEP 1 QUERY\nENTRY_BEGIN\n"
                + query
                + "\nSECTION QUESTION\nwww.example.com. IN "
                + qtype
                + "\nENTRY_END\n"
                + check
                + "SCENARIO_END\n";
    }

    private static ScenarioRunner.Outcome run(String text) throws IOException {
        return ScenarioRunner.run(RplScenario.parse("inline.rpl", List.of(text.split("\n", -1))));
    }

    private static String check(String reply, String answer) {
        return "STEP 10 CHECK_ANSWER\nENTRY_BEGIN\nMATCH all\nREPLY "
                + reply
                + "\nSECTION QUESTION\nwww.example.com. IN A\n"
                + "SECTION ANSWER\n"
                + answer
                + "\nENTRY_END\n";
    }

    @Test
    void withoutATrustAnchorTheServersAdBitIsNotCopied() throws IOException {
        String a = "www.example.com. IN A 10.20.30.40";
        assertEquals(
                ScenarioRunner.Verdict.PASS,
                run(scenario("A", a, "REPLY RD DO", check("QR RD RA DO NOERROR", a))).verdict());
        ScenarioRunner.Outcome copied =
                run(scenario("A", a, "REPLY RD DO", check("QR RD RA AD DO NOERROR", a)));
        assertEquals(ScenarioRunner.Verdict.FAIL, copied.verdict(), copied.detail());
    }

    @Test
    void theReplyCopiesRdAndCdAndEchoesDoOnlyWhenAsked() throws IOException {
        String a = "www.example.com. IN A 10.20.30.40";
        assertEquals(
                ScenarioRunner.Verdict.PASS,
                run(scenario("A", a, "REPLY RD CD", check("QR RD RA CD NOERROR", a))).verdict());
        ScenarioRunner.Outcome withDo =
                run(scenario("A", a, "REPLY RD CD", check("QR RD RA CD DO NOERROR", a)));
        assertEquals(
                ScenarioRunner.Verdict.FAIL,
                withDo.verdict(),
                "a query without DO gets no DO bit back");
    }

    @Test
    void aQuestionForADnameIsAnsweredWithTheDname() throws IOException {
        String d = "www.example.com. IN DNAME example.net.";
        String check =
                "STEP 10 CHECK_ANSWER\nENTRY_BEGIN\nMATCH all\nREPLY QR RD RA DO NOERROR\nSECTION QUESTION\n"
                        + "www.example.com. IN DNAME\nSECTION ANSWER\n"
                        + d
                        + "\nENTRY_END\n";
        ScenarioRunner.Outcome o = run(scenario("DNAME", d, "REPLY RD DO", check));
        assertEquals(ScenarioRunner.Verdict.PASS, o.verdict(), o.detail());
    }

    @Test
    void infraRttMakesTheFasterServerTheOneAsked() throws IOException {
        String text =
                "server:\nstub-zone:\n\tname: \".\"\n\tstub-addr: 10.0.0.1\n\tstub-addr: 10.0.0.2\nCONFIG_END\n"
                        + "SCENARIO_BEGIN rtt\n"
                        + range("10.0.0.1", "10.1.1.1")
                        + range("10.0.0.2", "10.2.2.2")
                        + "STEP 1 INFRA_RTT 10.0.0.2 . 20\nSTEP 2 INFRA_RTT 10.0.0.1 . 900\n"
                        + "STEP 5 QUERY\nENTRY_BEGIN\nREPLY RD DO\nSECTION QUESTION\nwww.example.com. IN A\nENTRY_END\n"
                        + check("QR RD RA DO NOERROR", "www.example.com. IN A 10.2.2.2")
                        + "SCENARIO_END\n";
        ScenarioRunner.Outcome o = run(text);
        assertEquals(ScenarioRunner.Verdict.PASS, o.verdict(), o.detail());
    }

    private static String range(String server, String address) {
        return "RANGE_BEGIN 0 100\n\tADDRESS "
                + server
                + "\nENTRY_BEGIN\nMATCH opcode qtype qname\nADJUST copy_id\n"
                + "REPLY QR AA NOERROR\nSECTION QUESTION\nwww.example.com. IN A\nSECTION ANSWER\nwww.example.com. IN A "
                + address
                + "\nENTRY_END\nRANGE_END\n";
    }

    @Test
    void anAnswerNoCheckTakesFailsTheScenario() throws IOException {
        ScenarioRunner.Outcome o =
                run(scenario("A", "www.example.com. IN A 10.20.30.40", "REPLY RD DO", ""));
        assertEquals(ScenarioRunner.Verdict.FAIL, o.verdict());
        assertTrue(o.detail().contains("no CHECK_ANSWER matched"), o.detail());
    }
}
