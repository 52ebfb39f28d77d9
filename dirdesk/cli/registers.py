"""Commands on the registers: profile, outgoing, incoming, followup, search, audit."""


def add_commands(sub) -> None:
    return None
