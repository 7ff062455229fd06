"""Era-A governance: the sudo key, the triumvirate collective and the senate."""
