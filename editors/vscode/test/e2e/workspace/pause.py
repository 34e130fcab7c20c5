def seed_pause_sub(a, b):
    """Return a minus b."""
