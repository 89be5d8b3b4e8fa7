package dev.daneel.validator.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's first example is {@link FirstExample}, character for character (without the package
 * line), and it runs: the signed name is Secure with its record, the tampered one Bogus with its
 * reason.
 */
class ReadmeFirstExampleTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path README = MODULE.getParent().resolve("README.md");
    private static final Path SOURCE =
            MODULE.resolve("src/test/java/dev/daneel/validator/readme/FirstExample.java");

    @Test
    void readmeShowsExactlyThisExample() throws Exception {
        String source = Files.readString(SOURCE, StandardCharsets.UTF_8);
        String withoutPackage =
                source.substring(source.indexOf('\n', source.indexOf("package ")) + 1).strip();
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        String block = firstJavaBlockWith(readme, "public class FirstExample");
        assertEquals(
                withoutPackage,
                block.strip(),
                "README.md's first example must be "
                        + SOURCE
                        + " without its package line; edit both together");
    }

    @Test
    void exampleFindsTheSignedNameSecureAndTheTamperedOneBogus() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            FirstExample.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(
                lines.get(0).startsWith("www.example.test. SECURE [")
                        && lines.get(0).contains("192.0.2.1"),
                lines.get(0));
        assertTrue(
                lines.get(1).startsWith("www.forged.test. BOGUS ")
                        && !lines.get(1).contains("192.0.2.66"),
                lines.get(1));
    }

    private static String firstJavaBlockWith(String markdown, String needle) {
        int at = 0;
        while ((at = markdown.indexOf("```java\n", at)) >= 0) {
            int start = at + "```java\n".length();
            int end = markdown.indexOf("\n```", start);
            String block = markdown.substring(start, end);
            if (block.contains(needle)) {
                return block;
            }
            at = end;
        }
        throw new AssertionError("README.md has no ```java block containing \"" + needle + "\"");
    }
}
