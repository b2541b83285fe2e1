import Foundation

/// What a run leaves behind while it works: the child processes it started and the temporary
/// folders it made. A signal that ends the run (Ctrl-C, SIGTERM) calls `terminate()`, which kills
/// the children and removes the folders, so neither outlives the run.
public enum RunCleanup {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var children: Set<pid_t> = []
    nonisolated(unsafe) private static var folders: Set<String> = []
    nonisolated(unsafe) private static var ending = false

    /// Whether a signal is ending the run: the main thread must then not exit on its own (the
    /// signal handler ends the process, with the signal's status).
    public static var isEnding: Bool { lock.withLock { ending } }

    static func started(_ pid: pid_t) { lock.withLock { _ = children.insert(pid) } }
    static func ended(_ pid: pid_t) { lock.withLock { _ = children.remove(pid) } }
    static func made(_ folder: String) { lock.withLock { _ = folders.insert(folder) } }

    /// Takes a folder back from the registry to remove it oneself; false once a signal is ending the
    /// run, when `terminate()` removes it (two recursive removals of one tree make each other fail).
    static func reclaim(_ folder: String) -> Bool {
        lock.withLock {
            guard !ending else { return false }
            folders.remove(folder)
            return true
        }
    }

    /// The folders and children now registered (for tests).
    static var registered: (children: Set<pid_t>, folders: Set<String>) { lock.withLock { (children, folders) } }

    /// Kills every registered child (SIGKILL: the run is ending) and removes every registered folder.
    public static func terminate() {
        let (pids, paths) = lock.withLock { () -> (Set<pid_t>, Set<String>) in
            ending = true
            return (children, folders)
        }
        for pid in pids {
            kill(pid, SIGKILL)
            // Reaped here (unless its reader's waitpid is first), so no zombie outlives the run.
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        }
        // A reader may still be writing into its folder when the signal comes: remove until gone.
        for path in paths {
            var tries = 0
            while FileManager.default.fileExists(atPath: path), tries < 20 {
                try? FileManager.default.removeItem(atPath: path)
                tries += 1
            }
        }
    }
}
