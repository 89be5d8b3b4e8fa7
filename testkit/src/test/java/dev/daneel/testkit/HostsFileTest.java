package dev.daneel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsFileTest {

    /** Run in a child JVM started with -Djdk.net.hosts.file: prints what InetAddress resolves. */
    public static final class Resolve {
        public static void main(String[] args) {
            for (String name : args) {
                try {
                    System.out.println(name + " " + InetAddress.getByName(name).getHostAddress());
                } catch (java.net.UnknownHostException e) {
                    System.out.println(name + " unknown");
                }
            }
        }
    }

    @Test
    void aJvmStartedWithThePropertyResolvesTheWrittenNamesAndNothingElse(@TempDir Path dir)
            throws Exception {
        Path file =
                HostsFile.at(dir.resolve("hosts"))
                        .add("www.example.test", "127.0.0.6")
                        .add("MX.Example.Test", InetAddress.getByName("127.0.0.7"))
                        .write();
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p =
                new ProcessBuilder(
                                javaBin.toString(),
                                "-D" + HostsFile.PROPERTY + "=" + file,
                                "-cp",
                                System.getProperty("java.class.path"),
                                Resolve.class.getName(),
                                "www.example.test",
                                "mx.example.test",
                                "localhost",
                                "other.example.test")
                        .redirectErrorStream(true)
                        .start();
        String out =
                new String(
                        p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(
                "www.example.test 127.0.0.6\nmx.example.test 127.0.0.7\nlocalhost 127.0.0.1\n"
                        + "other.example.test unknown\n",
                out);
    }

    @Test
    void refusesAddressesOffLoopbackAndNamesWithADot(@TempDir Path dir) {
        HostsFile f = HostsFile.at(dir.resolve("hosts"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> f.add("a.test", "192.0.2.1"));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.add("a.test.", "127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> f.add("a.test", "not-an-address"));
        // a host name made of hex digits is not taken for an IPv6 literal (it would be looked up)
        assertThrows(IllegalArgumentException.class, () -> f.add("a.test", "cafe"));
        f.add("six.test", "::1");
    }

    @Test
    void rewritingReplacesTheFile(@TempDir Path dir) throws Exception {
        HostsFile f = HostsFile.at(dir.resolve("hosts")).add("a.test", "127.0.0.2");
        f.write();
        f.add("a.test", "127.0.0.3").write();
        assertEquals(
                "# written by dev.daneel.testkit.HostsFile\n127.0.0.1 localhost\n127.0.0.3 a.test\n",
                Files.readString(f.path()));
    }

    @Test
    void ofThisJvmSaysHowToSetTheProperty() {
        if (System.getProperty(HostsFile.PROPERTY) == null) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, HostsFile::ofThisJvm);
            assertTrue(e.getMessage().contains("-Djdk.net.hosts.file="), e.getMessage());
        }
    }
}
