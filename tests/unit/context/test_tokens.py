"""Token estimation and calibration."""

from seed_lsp.context.tokens import TokenEstimator, raw_estimate


def test_raw_estimate_counts_pieces() -> None:
    assert raw_estimate("") == 0
    assert raw_estimate("def f(x):\n    return x + 1\n") > 8


def test_calibration_converges_on_reported_usage() -> None:
    est = TokenEstimator()
    text = "def compute_total(items, tax):\n    return sum(items) * (1 + tax)\n" * 20
    raw = raw_estimate(text)
    for _ in range(10):
        est.note_usage("m", text, int(raw * 1.3))
    assert abs(est.ratio("m") - 1.3) < 0.02
    assert est.ratio("other") == 1.0
    assert est.estimate(text, "m") >= int(raw * 1.29)


def test_outliers_are_ignored() -> None:
    est = TokenEstimator()
    est.note_usage("m", "tiny", 5000)
    est.note_usage("m", "x " * 200, 0)
    est.note_usage("m", "x " * 200, 100_000)
    assert est.samples("m") == 0


def test_state_round_trip() -> None:
    est = TokenEstimator()
    est.note_usage_raw("m", 100, 120)
    other = TokenEstimator()
    other.import_state(est.export_state())
    assert other.ratio("m") == est.ratio("m")
