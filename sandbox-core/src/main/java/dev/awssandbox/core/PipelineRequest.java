package dev.awssandbox.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pipeline to run: its stages, an optional policy per stage (e.g. filters with the network
 * off), stdin for the first stage, one deadline for the whole pipeline, and where the last
 * stage's stdout and every stage's stderr go.
 */
public record PipelineRequest(
        Pipeline pipeline,
        List<Optional<SandboxPolicy>> stagePolicies,
        StdinSource stdin,
        Optional<Duration> timeout,
        Optional<Path> workingDirectory,
        OutputTarget stdout,
        OutputTarget stderr) {

    public PipelineRequest {
        Objects.requireNonNull(pipeline, "pipeline");
        stagePolicies = List.copyOf(stagePolicies);
        if (stagePolicies.size() != pipeline.size()) {
            throw new IllegalArgumentException("one policy entry per stage is needed: " + pipeline.size()
                    + " stages, " + stagePolicies.size() + " entries");
        }
        pipeline.stages().forEach(RequestChecks::noNul);
        workingDirectory = RequestChecks.io(stdin, stdout, stderr, timeout, workingDirectory);
    }

    public static Builder builder(Pipeline pipeline) {
        return new Builder(pipeline);
    }

    /** The same request for a single command. */
    public static PipelineRequest of(ExecRequest request) {
        return new PipelineRequest(Pipeline.of(List.of(request.command())), List.of(Optional.empty()), request.stdin(),
                request.timeout(), request.workingDirectory(), request.stdout(), request.stderr());
    }

    /** Builds pipeline requests; every field but the pipeline has a default. */
    public static final class Builder {
        private final Pipeline pipeline;
        private final List<Optional<SandboxPolicy>> policies;
        private StdinSource stdin = StdinSource.empty();
        private Duration timeout;
        private Path workingDirectory;
        private OutputTarget stdout = OutputTarget.capture();
        private OutputTarget stderr = OutputTarget.capture();

        private Builder(Pipeline pipeline) {
            this.pipeline = pipeline;
            this.policies = new ArrayList<>(Collections.nCopies(pipeline.size(), Optional.empty()));
        }

        /** Runs stage {@code index} (0-based) under this policy instead of the sandbox's. */
        public Builder stagePolicy(int index, SandboxPolicy policy) {
            policies.set(index, Optional.of(policy));
            return this;
        }

        public Builder stdin(StdinSource stdin) {
            this.stdin = stdin;
            return this;
        }

        /** {@code null} means no timeout. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder workingDirectory(Path directory) {
            this.workingDirectory = directory;
            return this;
        }

        public Builder stdout(OutputTarget target) {
            this.stdout = target;
            return this;
        }

        public Builder stderr(OutputTarget target) {
            this.stderr = target;
            return this;
        }

        public PipelineRequest build() {
            return new PipelineRequest(pipeline, policies, stdin, Optional.ofNullable(timeout),
                    Optional.ofNullable(workingDirectory), stdout, stderr);
        }
    }
}
