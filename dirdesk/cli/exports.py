"""Placeholder: commands added by the exports work in progress."""


def add_commands(sub) -> None:
    return None
