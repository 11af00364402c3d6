"""Typed errors that carry what a user needs to fix their input (exit code 2 at the CLI)."""

from __future__ import annotations


class InputError(Exception):
    """Input that cannot be used: says which file, row and column, what is wrong, what to do."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str = "",
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        head = f"{', '.join(where)}: " if where else ""
        tail = f"\n  What to do: {self.hint}" if self.hint else ""
        return f"{head}{self.message}{tail}"
