def seed_hover_target(n):
    return n * 2
