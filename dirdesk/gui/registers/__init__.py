"""Văn bản đi, Văn bản đến, Theo dõi giải quyết, Sổ đăng ký: the register sections.

- `models`: the lazy table model over `dirdesk.registers.pages`
- `table_section`: a register as a filtered, sortable table (shared by đi and đến)
- `outgoing`, `incoming`, `followup`, `books`: the four sections
- `entry_outgoing`, `entry_incoming`, `reserve`: the dialogs over one row
"""
