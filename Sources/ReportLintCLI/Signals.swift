import Dispatch
import Foundation
import ReportInputs

/// Ends the run cleanly on Ctrl-C, SIGTERM or SIGHUP: the child processes it started are killed
/// and its temporary folders removed (RunCleanup), then the signal is delivered again with its
/// default action, so the exit status says which signal ended the run (130 for Ctrl-C).
enum Signals {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static let handled = [SIGINT, SIGTERM, SIGHUP]

    static func install() {
        let queue = DispatchQueue(label: "reportlint.signals")
        // A parent may have started the run with these signals blocked (Foundation's Process does).
        var mask = sigset_t()
        sigemptyset(&mask)
        for signo in handled { sigaddset(&mask, signo) }
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        for signo in handled {
            // The source receives the signal only while its default action is off.
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: queue)
            source.setEventHandler {
                RunCleanup.terminate()
                signal(signo, SIG_DFL)
                // Delivered to this thread, unblocked here, at its default action: the process ends.
                var one = sigset_t()
                sigemptyset(&one)
                sigaddset(&one, signo)
                pthread_sigmask(SIG_UNBLOCK, &one, nil)
                raise(signo)
                _exit(128 + signo)
            }
            source.resume()
            sources.append(source)
        }
    }
}
