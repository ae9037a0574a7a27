"""register/selectors/costs.py: the best figure per measure, the table per year and the trend."""

from types import SimpleNamespace as NS

from register.selectors import costs


def cost(year, outcome=None, budget=None, forecast=None):
    return NS(year=year, outcome=outcome, budget=budget, forecast=forecast)


def test_cost_value_prefers_outcome_then_forecast_then_budget():
    assert costs.cost_value(cost(2024, outcome=3, forecast=2, budget=1)) == 3
    assert costs.cost_value(cost(2024, forecast=2, budget=1)) == 2
    assert costs.cost_value(cost(2024, budget=1)) == 1
    assert costs.cost_value(cost(2024)) is None
    assert costs.cost_value(cost(2024, outcome=3, budget=1), "budget") == 1


def test_cost_pivot_has_a_row_per_participant_a_column_per_year_and_totals():
    a = NS(cost_list=[cost(2023, outcome=100), cost(2024, outcome=150)])
    b = NS(cost_list=[cost(2024, outcome=50), cost(2025, budget=70)])
    pivot = costs.cost_pivot([a, b])
    assert pivot.years == [2023, 2024, 2025]
    assert [r.cells for r in pivot.rows] == [[100, 150, None], [None, 50, 70]]
    assert [r.total for r in pivot.rows] == [250, 120]
    assert pivot.column_totals == [100, 200, 70]
    assert pivot.grand_total == 370


def test_cost_pivot_for_one_measure_leaves_out_years_without_it():
    a = NS(cost_list=[cost(2023, outcome=100, budget=90), cost(2024, budget=120)])
    pivot = costs.cost_pivot([a], "outcome")
    assert pivot.years == [2023]
    assert pivot.grand_total == 100


def test_cost_pivot_falls_back_to_the_best_figure_for_an_unknown_measure():
    pivot = costs.cost_pivot([NS(cost_list=[cost(2024, budget=5)])], "nonsense")
    assert pivot.measure == "amount"
    assert pivot.grand_total == 5


def test_cost_pivot_without_costs_is_empty():
    pivot = costs.cost_pivot([NS(cost_list=[])])
    assert pivot.is_empty
    assert pivot.grand_total is None


def test_the_year_trend_gives_the_reference_years_cost_and_the_change_from_the_year_before():
    trend = costs.year_trend(
        [cost(2022, outcome=100), cost(2023, outcome=110), cost(2024, budget=121)], 2024
    )
    assert (trend.year, trend.amount, trend.previous_year, trend.kind_label) == (
        2024,
        121,
        2023,
        "budget",
    )
    assert trend.change == 11
    assert trend.change_percent == 10.0


def test_the_year_trend_never_stands_in_another_year_for_a_missing_one():
    trend = costs.year_trend([cost(2023, outcome=1)], 2024)
    assert trend.amount is None and trend.kind_label == ""
    assert trend.change is None and trend.change_percent is None
