"""The errors proclab reports to a person: one line, and a known exit status."""


class ProclabError(Exception):
    """A problem outside the lab's control (no Docker engine, no image, a bad argument).

    The command line prints the message as one line and exits with status 2.
    """

    exit_status = 2


class NotObserved(AssertionError):
    """A claim about the process table that the observer did not see come true.

    `how` says which kind of claim failed: "within" (it never held before the deadline), "for"
    (it stopped holding during the stretch it had to hold) or "never" (it held, and must not
    have). The message says what was expected and shows the table as last seen; the lab runner
    says the same in the student's language from the attributes.
    """

    def __init__(self, claim: str, how: str, seconds: float, last_table: str):
        self.claim, self.how, self.seconds, self.last_table = claim, how, seconds, last_table
        what = {
            "within": f"expected {claim} within {seconds:g} s, but it was not observed",
            "for": f"expected {claim} for {seconds:g} s, but it stopped holding",
            "never": f"expected never to see {claim}, but it was seen",
        }[how]
        super().__init__(f"{what}; last process table seen:\n{last_table}")
