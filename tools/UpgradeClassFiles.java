import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.constant.ClassDesc;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Rewrites, in place, every class file in a jar older than Java 6 (major version < 50) as a Java 8
 * class file (52) with the stack maps such a file must carry, and verifies the result; the build
 * runs it on the shaded jar after {@code shade}.
 *
 * Why: picocli 4.7 is compiled for Java 5 (49). The JDK's AOT cache (the launchers' start-up cache)
 * does not store such classes ("Old class has been linked": their verifier's results cannot be
 * cached), nor any class that implements one of their interfaces, nor lambdas of those classes; so
 * every launch parsed and verified about 180 picocli classes and their users from the jar, about a
 * third of what the start-up cache saves elsewhere. The code is unchanged: only the version number
 * and the StackMapTable attribute (computed by the JDK's class-file API from the class hierarchy
 * of the jar and the JDK) are new; the line numbers stay. The split verifier's checks run here
 * ({@link ClassFile#verify}) and fail the build on any error.
 *
 * Run: java tools/UpgradeClassFiles.java JAR
 */
public class UpgradeClassFiles {
    static final int JAVA_6 = 50;
    static final int JAVA_8 = 52;

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        try (FileSystem fs = FileSystems.newFileSystem(jar)) {
            ClassHierarchyResolver inJar = ClassHierarchyResolver.ofResourceParsing(desc -> open(fs, desc));
            ClassFile classFile = ClassFile.of(
                    ClassFile.ClassHierarchyResolverOption.of(inJar.orElse(ClassHierarchyResolver.defaultResolver()).cached()),
                    ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
            List<Path> classes;
            try (Stream<Path> files = Files.walk(fs.getPath("/"))) {
                classes = files.filter(p -> p.toString().endsWith(".class") && !p.startsWith("/META-INF/versions")).toList();
            }
            int upgraded = 0;
            for (Path file : classes) {
                byte[] bytes = Files.readAllBytes(file);
                if (bytes.length < 8 || major(bytes) >= JAVA_6) {
                    continue;
                }
                ClassModel model = classFile.parse(bytes);
                byte[] rewritten = classFile.transformClass(model,
                        ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL).andThen((builder, element) -> {
                            if (element instanceof ClassFileVersion) {
                                builder.withVersion(JAVA_8, 0);
                            } else {
                                builder.with(element);
                            }
                        }));
                List<VerifyError> errors = classFile.verify(rewritten);
                if (!errors.isEmpty()) {
                    throw new IllegalStateException(file + " does not verify once upgraded: " + errors);
                }
                Files.write(file, rewritten);
                upgraded++;
            }
            System.out.println("UpgradeClassFiles: " + upgraded + " class files of " + jar.getFileName()
                    + " upgraded from before Java 6 to Java 8 (stack maps added)");
        }
    }

    static int major(byte[] bytes) {
        return ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
    }

    /** The class file of {@code desc} in the jar, or null when it is not there (the JDK's resolver is asked next). */
    static InputStream open(FileSystem fs, ClassDesc desc) {
        String descriptor = desc.descriptorString();
        Path file = fs.getPath("/" + descriptor.substring(1, descriptor.length() - 1) + ".class");
        try {
            return Files.exists(file) ? Files.newInputStream(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
