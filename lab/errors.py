"""The errors proclab reports to a person: one line, and a known exit status."""


class ProclabError(Exception):
    """A problem outside the lab's control (no Docker engine, no image, a bad argument).

    The command line prints the message as one line and exits with status 2.
    """

    exit_status = 2


class NotObserved(AssertionError):
    """A state that should have been in the process table was not, in the time allowed.

    The message says what was expected and shows the table as last seen.
    """

    def __init__(self, expected: str, last_table: str):
        self.expected = expected
        self.last_table = last_table
        super().__init__(f"{expected}; last process table seen:\n{last_table}")
