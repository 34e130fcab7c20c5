def seed_explain_target(values):
    total = 0
    for v in values:
        total += v * v
    return total
