package dev.awssandbox.mcp.policy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.HostEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The installed AWS CLI v1, asked in Python how it parses an argv (src/test/resources/oracle/
 * awscli_oracle.py). Tests only: the server never runs it. Skips, printing why, when the AWS CLI's
 * Python is not found.
 */
final class AwsCliOracle implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Process process;
    private final OutputStream in;
    private final BufferedReader out;

    private AwsCliOracle(Process process) {
        this.process = process;
        this.in = process.getOutputStream();
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The oracle for the AWS CLI on PATH, or a skip. */
    static AwsCliOracle start() throws IOException {
        Optional<Path> python = python();
        if (python.isEmpty()) {
            System.err.println("SKIPPED: the AWS CLI's Python interpreter was not found");
            assumeTrue(false, "no AWS CLI Python");
        }
        Path script = Files.createTempFile("awscli_oracle", ".py");
        try (InputStream s = AwsCliOracle.class.getResourceAsStream("/oracle/awscli_oracle.py")) {
            Files.write(script, s.readAllBytes());
        }
        script.toFile().deleteOnExit();
        ProcessBuilder pb = new ProcessBuilder(python.get().toString(), script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        // the oracle never sends a request: no credentials, an unroutable proxy for good measure
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().put("AWS_ACCESS_KEY_ID", "oracle");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "oracle");
        pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        pb.environment().put("HTTPS_PROXY", "http://127.0.0.1:9");
        pb.environment().put("HTTP_PROXY", "http://127.0.0.1:9");
        pb.environment().put("AWS_CONFIG_FILE", "/dev/null");
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        return new AwsCliOracle(pb.start());
    }

    /** The interpreter of the {@code aws} script on PATH (pyenv shims followed). */
    static Optional<Path> python() {
        Optional<Path> data = ServiceModels.locate(HostEnvironment.current());
        if (data.isEmpty()) {
            return Optional.empty();
        }
        // .../lib/pythonX.Y/site-packages/botocore/data -> .../bin/python
        Path prefix = data.get().getParent().getParent().getParent().getParent().getParent();
        for (String name : List.of("python3", "python")) {
            Path p = prefix.resolve("bin").resolve(name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    synchronized JsonNode ask(Map<String, Object> request) throws IOException {
        in.write((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the AWS CLI oracle exited");
        }
        return JSON.readTree(line);
    }

    JsonNode parse(List<String> argvWithoutAws) throws IOException {
        return ask(Map.of("op", "parse", "argv", argvWithoutAws));
    }

    @Override
    public void close() {
        process.destroy();
    }
}
