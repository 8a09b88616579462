"""The one error the report parser raises."""


class ReportError(ValueError):
    """A malformed report. The Italian message names the line and what was expected there."""

    def __init__(self, line: int, problem: str, expected: str, *, where: str = ""):
        self.line = line
        self.problem = problem
        self.expected = expected
        super().__init__(f"{where or f'Riga {line}'}: {problem}; atteso {expected}.")
