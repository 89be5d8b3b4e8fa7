package dev.daneel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The generated keys compared with OpenSSH's own tools. */
class SshHostKeyPairTest {

    @ParameterizedTest
    @EnumSource(SshHostKeyPair.Type.class)
    void sshfpLinesAreWhatSshKeygenPrints(SshHostKeyPair.Type type, @TempDir Path dir)
            throws Exception {
        String keygen = RealTools.require("ssh-keygen", "openssh-client");
        SshHostKeyPair key = SshHostKeyPair.generate(type);
        Path pub = dir.resolve("key.pub");
        Files.writeString(pub, key.publicKeyLine() + "\n");
        List<String> expected =
                RealTools.run(dir, keygen, "-r", "host.example.test", "-f", pub.toString())
                        .lines()
                        .filter(l -> l.startsWith("host.example.test"))
                        .toList();
        assertEquals(expected, key.sshfpLines("host.example.test"));
    }

    @ParameterizedTest
    @EnumSource(SshHostKeyPair.Type.class)
    void sshKeygenReadsThePrivateKeyAndDerivesTheSamePublicKey(
            SshHostKeyPair.Type type, @TempDir Path dir) throws Exception {
        String keygen = RealTools.require("ssh-keygen", "openssh-client");
        SshHostKeyPair key = SshHostKeyPair.generate(type);
        Path priv = dir.resolve("key");
        Files.writeString(priv, key.privateKeyPem());
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-------"));
        String derived = RealTools.run(dir, keygen, "-y", "-f", priv.toString()).trim();
        assertEquals(key.publicKeyLine(), derived.split(" ")[0] + " " + derived.split(" ")[1]);
        assertEquals(type.openSshName(), derived.split(" ")[0]);
    }
}
