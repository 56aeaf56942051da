def semantic_signals(norm, level, mods, third):
    return []
