package dev.awssandbox.core;

import dev.awssandbox.core.backend.BubblewrapBackend;
import dev.awssandbox.core.backend.LandlockBackend;
import dev.awssandbox.core.backend.SandboxBackend;
import dev.awssandbox.core.backend.SeatbeltBackend;
import dev.awssandbox.core.backend.UnsandboxedBackend;
import dev.awssandbox.core.linux.LinuxPlatform;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The backends a sandbox may use and the one it uses: the candidates (the platform's, strongest
 * first, or exactly one that was asked for), chosen once on first use and cached. Mode
 * {@code auto} falls back to none, loudly; {@code required} fails instead; {@code disabled} runs
 * unsandboxed and says so. A candidate is made when it is first needed: making bubblewrap's looks
 * for bwrap, socat and sleep on disk, which a command that Landlock runs never needs.
 */
final class Backends {
    private static final System.Logger LOG = System.getLogger(Backends.class.getName());

    /** A backend with the name it goes by. */
    record Candidate(BackendKind kind, SandboxBackend backend) {}

    private final List<Supplier<Candidate>> candidates;
    private final boolean forced;
    private final Sandbox.Mode mode;
    private final Object lock = new Object();
    private volatile Candidate selected;

    private Backends(List<Supplier<Candidate>> candidates, boolean forced, Sandbox.Mode mode) {
        this.candidates = List.copyOf(candidates);
        this.forced = forced;
        this.mode = mode;
    }

    /** The platform's backends, strongest first. */
    static Backends ofPlatform(Sandbox.Mode mode) {
        List<Supplier<Candidate>> all = new ArrayList<>();
        if (LinuxPlatform.isLinux()) {
            all.add(once(BackendKind.LANDLOCK));
            all.add(once(BackendKind.BUBBLEWRAP));
        } else if (HostEnvironment.Platform.current() == HostEnvironment.Platform.MACOS) {
            all.add(once(BackendKind.SEATBELT));
        }
        return new Backends(all, false, mode);
    }

    /** Exactly this backend: no fallback ({@link BackendKind#NONE} is mode {@code disabled}). */
    static Backends only(BackendKind kind, Sandbox.Mode mode) {
        return kind == BackendKind.NONE ? new Backends(List.of(), false, Sandbox.Mode.DISABLED)
                : new Backends(List.of(once(kind)), true, mode);
    }

    /** These candidates, strongest first (tests give backends that simulate another kernel or host). */
    static Backends of(List<Candidate> candidates, boolean forced, Sandbox.Mode mode) {
        return new Backends(candidates.stream().<Supplier<Candidate>>map(c -> () -> c).toList(), forced, mode);
    }

    /** The candidate of this kind, made on the first get and kept: selecting and doctor's statuses share it and its probe. */
    private static Supplier<Candidate> once(BackendKind kind) {
        return new Supplier<>() {
            private Candidate made;

            @Override
            public synchronized Candidate get() {
                if (made == null) {
                    made = create(kind);
                }
                return made;
            }
        };
    }

    static Candidate create(BackendKind kind) {
        return new Candidate(kind, switch (kind) {
            case LANDLOCK -> new LandlockBackend();
            case BUBBLEWRAP -> new BubblewrapBackend();
            case SEATBELT -> new SeatbeltBackend();
            case NONE -> new UnsandboxedBackend(List.of("sandbox disabled by configuration"));
        });
    }

    Sandbox.Mode mode() {
        return mode;
    }

    /** The backend commands run with, selected on first use. */
    Candidate selected() throws SandboxException {
        Candidate c = selected;
        if (c != null) {
            return c;
        }
        synchronized (lock) {
            if (selected == null) {
                selected = select();
            }
            return selected;
        }
    }

    private Candidate select() throws SandboxException {
        if (mode == Sandbox.Mode.DISABLED) {
            LOG.log(Level.INFO, "sandbox disabled (mode disabled): commands run without isolation");
            return new Candidate(BackendKind.NONE,
                    new UnsandboxedBackend(List.of("sandbox disabled by configuration (mode disabled)")));
        }
        if (forced) {
            Candidate only = candidates.getFirst().get();
            SandboxBackend.Availability availability = only.backend().availability();
            if (!availability.available()) {
                throw new SandboxException(SandboxException.Kind.UNAVAILABLE, "the " + only.kind().label()
                        + " backend was asked for but is unavailable: " + availability.detail(), Optional.of(only.kind()));
            }
            return only;
        }
        List<String> reasons = new ArrayList<>();
        for (Supplier<Candidate> next : candidates) {
            Candidate candidate = next.get();
            SandboxBackend.Availability availability = candidate.backend().availability();
            if (availability.available()) {
                LOG.log(Level.DEBUG, "using sandbox backend " + candidate.kind().label() + ": " + availability.detail());
                return candidate;
            }
            if (!availability.settled()) {
                // never a weaker backend, nor none, for a backend that could not be tried this time: this
                // run fails, and the next one selects again
                throw new SandboxException(SandboxException.Kind.UNAVAILABLE, "cannot tell now whether the "
                        + candidate.kind().label() + " backend can run (" + availability.detail()
                        + "); nothing was run: try again", Optional.of(candidate.kind()));
            }
            reasons.add(candidate.kind().label() + ": " + availability.detail());
        }
        String why = reasons.isEmpty() ? "no sandbox backend exists for " + HostEnvironment.Platform.current()
                : String.join("; ", reasons);
        if (mode == Sandbox.Mode.REQUIRED) {
            throw new SandboxException(SandboxException.Kind.UNAVAILABLE,
                    "sandbox mode is required but no sandbox backend is available (" + why + ")", Optional.empty());
        }
        String note = "no sandbox backend available, running WITHOUT isolation (" + why + ")";
        LOG.log(Level.WARNING, note);
        return new Candidate(BackendKind.NONE, new UnsandboxedBackend(List.of(note)));
    }

    /** Every backend aws-sandbox knows, with its availability here: the candidates first, then the others. */
    List<Sandbox.BackendStatus> statuses() {
        List<Candidate> all = new ArrayList<>(candidates.stream().map(Supplier::get).toList());
        for (BackendKind kind : List.of(BackendKind.LANDLOCK, BackendKind.BUBBLEWRAP, BackendKind.SEATBELT)) {
            if (all.stream().noneMatch(c -> c.kind() == kind)) {
                all.add(create(kind));
            }
        }
        List<Sandbox.BackendStatus> statuses = new ArrayList<>();
        for (Candidate candidate : all) {
            SandboxBackend.Availability a = candidate.backend().availability();
            statuses.add(new Sandbox.BackendStatus(candidate.kind(), a.available(), a.detail()));
        }
        statuses.add(new Sandbox.BackendStatus(BackendKind.NONE, true, "always available; isolates nothing"));
        return statuses;
    }
}
