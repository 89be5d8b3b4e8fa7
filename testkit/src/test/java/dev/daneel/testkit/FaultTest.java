package dev.daneel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class FaultTest {

    @Test
    void delayOutside1msTo60sIsRefusedNamingTheRange() {
        for (Duration d :
                new Duration[] {Duration.ZERO, Duration.ofMillis(-5), Duration.ofSeconds(61)}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Fault.delay(d));
            assertTrue(
                    e.getMessage().contains("1 ms .. 60 s")
                            && e.getMessage().contains(d.toString()),
                    e.getMessage());
        }
        assertEquals(Duration.ofMillis(1), Fault.delay(Duration.ofMillis(1)).delayDuration());
    }

    @Test
    void timesOutside1To1000000IsRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Fault.drop().times(0));
        assertTrue(
                e.getMessage().contains("1..1000000") && e.getMessage().contains("got 0"),
                e.getMessage());
        assertEquals(-1, Fault.drop().times(), "unlimited by default");
        assertEquals(3, Fault.drop().times(3).times());
    }

    @Test
    void narrowingReturnsCopiesAndLeavesTheOriginalMatchingEverything() {
        Fault any = Fault.servfail();
        Fault narrow = any.forName("WWW.Example.TEST").forType(Type.A).over(Transport.TCP);
        Name www = Name.fromConstantString("www.example.test.");
        assertTrue(any.matches(Name.root, Type.MX, Transport.UDP));
        assertTrue(narrow.matches(www, Type.A, Transport.TCP));
        assertEquals(false, narrow.matches(www, Type.A, Transport.UDP));
        assertEquals(false, narrow.matches(www, Type.AAAA, Transport.TCP));
        assertEquals(
                "SERVFAIL name=WWW.Example.TEST. type=A over TCP",
                narrow.toString(),
                "the name as given");
    }

    @Test
    void badNameIsRefusedQuotingIt() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Fault.drop().forName("a..b"));
        assertTrue(e.getMessage().contains("\"a..b\""), e.getMessage());
    }
}
