def seed_rename_total(items, tax):
    subtotal = sum(item.price for item in items)
    return subtotal * (1 + tax)
