"""Placeholder: commands added by the backups work in progress."""


def add_commands(sub) -> None:
    return None
