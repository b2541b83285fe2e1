#if canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs a helper program (pdftotext) for one input, bounded in time and in output.
///
/// Started with `posix_spawn` in the caller's process group, with an empty signal mask and every
/// signal at its default action (a child started from a worker thread would otherwise inherit that
/// thread's blocked signals, and Foundation's `Process` puts it in a group of its own), so Ctrl-C
/// at the terminal reaches it and SIGTERM ends it. It is registered with `RunCleanup` while it
/// runs, so a signal to the run kills it too. Its output goes to files (no pipe can fill up); the
/// calling thread waits with `waitpid` and stops the child when it runs past `timeout` or its output
/// grows past `outputLimit` bytes.
///
/// Written by hand: swift-subprocess (which starts children the same way) is async only, and
/// waiting for it from a synchronous reader deadlocks when the caller is itself on the
/// cooperative thread pool (as Swift Testing's tests are).
enum ChildProcess {
    enum Outcome: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
        case outputTooLarge
        case failedToStart(String)
    }

    static func run(_ program: String, arguments: [String], output: String, errors: String,
                    timeout: Duration, outputLimit: Int) -> Outcome {
        #if canImport(Darwin)
        // Darwin's are opaque pointers that the init functions allocate.
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        let environ = _NSGetEnviron().pointee
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        var spawned = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        // "Text file busy": another thread's child briefly holds the program open for writing
        // (a program just written, as tests and installers do); it lets go at its exec.
        var tries = 0
        while spawned == ETXTBSY, tries < 100 {
            usleep(10_000)
            tries += 1
            spawned = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        }
        guard spawned == 0 else { return .failedToStart(String(cString: strerror(spawned))) }
        RunCleanup.started(pid)
        defer { RunCleanup.ended(pid) }

        let deadline = ContinuousClock.now + timeout
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0, errno != EINTR { return .failedToStart(String(cString: strerror(errno))) }
            var st = stat()
            let tooLarge = stat(output, &st) == 0 && Int(st.st_size) > outputLimit
            if tooLarge || ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                return tooLarge ? .outputTooLarge : .timedOut
            }
            usleep(10_000)
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }
}
