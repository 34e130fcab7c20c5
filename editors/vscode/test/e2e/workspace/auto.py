def seed_auto_mul(a, b):
    """Return the product of a and b."""
