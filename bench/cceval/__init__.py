"""CrossCodeEval-style context bench: corpora, ground truth, a server driver, the baseline."""
