"""Company profiles: how to reach and read one company, loaded and validated with file:line.

The profile (``companies/<name>.toml``) and its test accounts. May import the domain.
"""
