"""Placeholder: commands added by the imports work in progress."""


def add_commands(sub) -> None:
    return None
