"""Broken on purpose: the parent joins its child at once, so no zombie is ever kept."""

import multiprocessing
import signal

if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    process = multiprocessing.get_context("fork").Process(target=print, args=("child exits",))
    process.start()
    process.join()
    signal.sigwaitinfo({signal.SIGUSR1})
    signal.sigwaitinfo({signal.SIGUSR1})
